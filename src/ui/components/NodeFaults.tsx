import { useId, useState } from 'react';
import type { Op } from '../../sim/index.ts';
import { Icon } from './Icon.tsx';

export interface NodeFaultsProps {
  readonly node: string;
  readonly status: 'up' | 'down' | 'slow';
  /** Other nodes, for partitions and link faults. */
  readonly peers: readonly string[];
  /** Peers this node is cut off from now. */
  readonly cutFrom?: readonly string[];
  readonly onOp: (op: Op) => void;
  readonly disabled?: boolean;
}

type LinkAction = 'delay' | 'drop-half' | 'drop-all' | 'duplicate' | 'restore';

const LINK_ACTIONS: readonly { value: LinkAction; label: string }[] = [
  { value: 'delay', label: 'delay +250 ms' },
  { value: 'drop-half', label: 'drop 50%' },
  { value: 'drop-all', label: 'drop all' },
  { value: 'duplicate', label: 'duplicate 50%' },
  { value: 'restore', label: 'restore the link' },
];

/** The verbs of a link action, both directions. */
export function linkOps(action: LinkAction, from: string, to: string): Op[] {
  const both = { from, to, twoWay: true } as const;
  switch (action) {
    case 'delay':
      return [{ verb: 'delay', ...both, extraMs: 250 }];
    case 'drop-half':
      return [{ verb: 'drop', ...both, ratio: { num: 1, den: 2 } }];
    case 'drop-all':
      return [{ verb: 'drop', ...both, ratio: { num: 1, den: 1 } }];
    case 'duplicate':
      return [{ verb: 'duplicate', ...both, ratio: { num: 1, den: 2 } }];
    case 'restore':
      return [
        { verb: 'delay', ...both, extraMs: 0 },
        { verb: 'drop', ...both, ratio: null },
        { verb: 'duplicate', ...both, ratio: null },
      ];
  }
}

/**
 * The fault buttons for one node of the live cluster: crash or restart it, slow it, cut it off
 * from another node (and heal), and delay, drop or duplicate messages on one of its links. Every
 * button applies an operator verb, which becomes a trace event and shows in the diagrams.
 */
export function NodeFaults({ node, status, peers, cutFrom = [], onOp, disabled = false }: NodeFaultsProps) {
  const ids = { peer: useId(), link: useId(), action: useId() };
  const others = peers.filter((p) => p !== node);
  const [peer, setPeer] = useState(others.find((p) => p === 'broker') ?? others[0] ?? '');
  const [linkPeer, setLinkPeer] = useState(others.find((p) => p === 'gw') ?? others[0] ?? '');
  const [action, setAction] = useState<LinkAction>('delay');
  return (
    <div className="node-faults" role="group" aria-label={`Faults for ${node}`}>
      <div className="fault-row">
        {status === 'down' ? (
          <button type="button" className="repair" disabled={disabled} onClick={() => onOp({ verb: 'restart', node })}>
            <Icon name="heal" />
            Restart {node}
          </button>
        ) : (
          <button type="button" className="danger" disabled={disabled} onClick={() => onOp({ verb: 'crash', node })}>
            <Icon name="bolt" />
            Crash {node}
          </button>
        )}
        {status === 'slow' ? (
          <button type="button" className="repair" disabled={disabled} onClick={() => onOp({ verb: 'slow', node, factor: 1 })}>
            Normal speed
          </button>
        ) : (
          <button type="button" className="warn" disabled={disabled || status === 'down'} onClick={() => onOp({ verb: 'slow', node, factor: 20 })} title="Every message takes 20 times longer to process">
            Slow ×20
          </button>
        )}
      </div>

      {others.length === 0 ? null : (
        <>
          <div className="fault-row">
            <label htmlFor={ids.peer} className="inline-label">
              Partition from
            </label>
            <select id={ids.peer} value={peer} onChange={(event) => setPeer(event.currentTarget.value)}>
              {others.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <button type="button" className="danger" disabled={disabled || peer === ''} onClick={() => onOp({ verb: 'partition', a: [node], b: [peer] })}>
              Cut
            </button>
          </div>
          {cutFrom.length === 0 ? null : (
            <div className="fault-row">
              <span className="inline-label">Cut off from {cutFrom.join(', ')}</span>
              <button type="button" className="repair" disabled={disabled} onClick={() => onOp({ verb: 'heal', a: [node], b: [...cutFrom] })}>
                <Icon name="heal" />
                Heal
              </button>
            </div>
          )}
          <div className="fault-row">
            <label htmlFor={ids.link} className="inline-label">
              Link to
            </label>
            <select id={ids.link} value={linkPeer} onChange={(event) => setLinkPeer(event.currentTarget.value)}>
              {others.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <label htmlFor={ids.action} className="visually-hidden">
              Link fault
            </label>
            <select id={ids.action} value={action} onChange={(event) => setAction(event.currentTarget.value as LinkAction)}>
              {LINK_ACTIONS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className={action === 'restore' ? 'repair' : 'warn'}
              disabled={disabled || linkPeer === ''}
              onClick={() => {
                for (const op of linkOps(action, node, linkPeer)) onOp(op);
              }}
            >
              Apply
            </button>
          </div>
        </>
      )}
    </div>
  );
}
