import { memo, useId, useState } from 'react';
import type { Op } from '../../sim/index.ts';
import type { Intervention } from '../../workbench/index.ts';
import { formatVirtualTime } from '../format.ts';
import { Icon } from './Icon.tsx';
import { NodeFaults } from './NodeFaults.tsx';

export interface FaultsPanelProps {
  /** Every node with its kind. */
  readonly nodes: readonly { readonly id: string; readonly kind: string }[];
  /** Node status from the pub/sub graph at the playhead. */
  readonly statusOf: (node: string) => 'up' | 'down' | 'slow';
  readonly cutsOf: (node: string) => readonly string[];
  readonly interventions: readonly Intervention[];
  readonly onOp: (op: Op) => void;
  readonly onForget: (id: number) => void;
  readonly onSeek: (atMs: number) => void;
  readonly disabled?: boolean;
}

/**
 * Fault injection without the diagram (for the keyboard, and for a quick crash during a demo),
 * and the list of everything you did to the run. Interventions stay on the timeline: scrub back
 * before one and play, and it happens again. Remove one and the run is replayed without it.
 */
export const FaultsPanel = memo(function FaultsPanel({ nodes, statusOf, cutsOf, interventions, onOp, onForget, onSeek, disabled = false }: FaultsPanelProps) {
  const id = useId();
  const servers = nodes.filter((n) => n.kind !== 'client');
  const [node, setNode] = useState(servers.find((n) => n.kind === 'ws-server')?.id ?? servers[0]?.id ?? '');
  const target = nodes.find((n) => n.id === node);
  return (
    <section className="faults" aria-label="Faults">
      {nodes.length === 0 ? (
        <p className="empty">Load a run to inject faults.</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={id}>Node</label>
            <select id={id} value={node} onChange={(event) => setNode(event.currentTarget.value)}>
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id} ({n.kind}){statusOf(n.id) === 'down' ? ' — crashed' : ''}
                </option>
              ))}
            </select>
          </div>
          {target === undefined ? null : (
            <NodeFaults key={node} node={node} status={statusOf(node)} peers={nodes.map((n) => n.id)} cutFrom={cutsOf(node)} onOp={onOp} disabled={disabled} />
          )}
          <div className="fault-row">
            <button type="button" className="repair" disabled={disabled} onClick={() => onOp({ verb: 'heal' })}>
              <Icon name="heal" />
              Heal every partition
            </button>
          </div>
          {/* Scaling (ADR 0014): boot the first spare server, or drain the chosen one. Without a
              spare the trace says so (node/scaleRefused); topology.maxWsServers sets the pool. */}
          <div className="fault-row">
            <button type="button" className="repair" disabled={disabled} onClick={() => onOp({ verb: 'addServer' })} title="Boot a spare WebSocket server; the gateway routes new connections to it">
              Add a server
            </button>
            {target?.kind === 'ws-server' ? (
              <button type="button" disabled={disabled} onClick={() => onOp({ verb: 'removeServer', node })} title="Take it out of the gateway's rotation, close its connections gracefully (clients reconnect elsewhere), stop it after 30 s">
                Drain {node}
              </button>
            ) : null}
          </div>
        </>
      )}

      <h3 className="section-title">
        Your interventions <span className="count-pill">{interventions.length}</span>
      </h3>
      {interventions.length === 0 ? (
        <p className="hint">Faults you inject and messages you send are listed here, and marked on the timeline.</p>
      ) : (
        <ol className="interventions">
          {interventions.map((iv) => (
            <li key={iv.id} className={iv.kind === 'fault' ? 'is-fault' : iv.kind === 'user' ? 'is-send' : 'is-repair'}>
              <button type="button" className="link-button mono" onClick={() => onSeek(iv.at)} title="Jump to this moment">
                {formatVirtualTime(iv.at)}
              </button>
              <span className="iv-label">{iv.label}</span>
              <button type="button" className="icon-button small" disabled={disabled} onClick={() => onForget(iv.id)} title="Remove from the timeline (the run is replayed without it)">
                <Icon name="close" size={14} />
                <span className="visually-hidden">Remove “{iv.label}”</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});
