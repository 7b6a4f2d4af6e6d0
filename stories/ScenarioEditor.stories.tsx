import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import ScenarioEditor from '../src/ui/editor/ScenarioEditor.tsx';
import { CUSTOM_KEY } from '../src/ui/editor/customStore.ts';
import { useCustomList } from '../src/ui/editor/useCustomRuns.tsx';
import { memoryStorage } from './fixtures.ts';

/** The editor over a custom list kept in memory (`saved`: the storage's starting text). */
function Harness({ saved, onRun, onClose }: { saved?: string; onRun: () => void; onClose: () => void }) {
  const list = useCustomList(memoryStorage(saved === undefined ? {} : { [CUSTOM_KEY]: saved }));
  return <ScenarioEditor start={{ base: 'group-chat', patch: null, name: null }} list={list} onRun={onRun} onClose={onClose} />;
}

const meta = {
  title: 'Editor/ScenarioEditor',
  component: Harness,
  args: { onRun: fn(), onClose: fn() },
} satisfies Meta<typeof Harness>;

export default meta;
type Story = StoryObj<typeof meta>;

const dialogOf = (canvasElement: HTMLElement) => within(within(canvasElement.ownerDocument.body).getByRole('dialog', { name: 'Scenario editor' }));
const jsonOf = (d: ReturnType<typeof dialogOf>) => (d.getByLabelText('Scenario file (JSON)') as HTMLTextAreaElement).value;

/** Editing a field updates the JSON view; a bad value shows an error at the field, and fixing it clears the error. */
export const EditAField: Story = {
  play: async ({ canvasElement }) => {
    const d = dialogOf(canvasElement);
    await d.findByTestId('editor-valid');
    // The filter opens the groups that hold a match (the groups start closed).
    await userEvent.type(d.getByLabelText('Filter'), 'wsServers');
    const servers = d.getByLabelText('topology.wsServers');
    await userEvent.clear(servers);
    await userEvent.type(servers, '4');
    await waitFor(() => expect(jsonOf(d)).toContain('"wsServers": 4'));
    await userEvent.clear(servers);
    await userEvent.type(servers, '0');
    await waitFor(() => expect(servers).toHaveAttribute('aria-invalid', 'true'));
    const field = servers.closest('[data-path="topology.wsServers"]') as HTMLElement;
    await expect(within(field).getByText(/0 is too small \(allowed: a number ≥ 1\)/)).toBeVisible();
    await expect(d.getByTestId('editor-problem-count')).toHaveTextContent('1 problem');
    await expect(d.getByRole('button', { name: 'Run this scenario' })).toBeDisabled();
    await userEvent.clear(servers);
    await userEvent.type(servers, '2');
    await d.findByTestId('editor-valid');
    await expect(servers).toHaveAttribute('aria-invalid', 'false');
    await expect(within(field).queryByText(/too small/)).toBeNull();
  },
};

/** A union's kind picker switches the fields: the client link's jitter becomes exponential and shows its mean. */
export const SwitchAUnionKind: Story = {
  play: async ({ canvasElement }) => {
    const d = dialogOf(canvasElement);
    await userEvent.type(d.getByLabelText('Filter'), 'network.client');
    await userEvent.selectOptions(d.getByLabelText('network.client.jitter.kind'), 'exponential');
    const mean = await d.findByLabelText('network.client.jitter.meanMs');
    await expect(d.queryByLabelText('network.client.jitter.minMs')).toBeNull();
    await waitFor(() => expect(jsonOf(d)).toMatch(/"jitter": \{\s*"kind": "exponential"/));
    await userEvent.clear(mean);
    await userEvent.type(mean, '7.5');
    await waitFor(() => expect(jsonOf(d)).toMatch(/"kind": "exponential",\s*"meanMs": 7.5/));
    await d.findByTestId('editor-valid');
  },
};

/** A JSON syntax error names its line and column and leaves the form as it was; valid JSON updates the form. */
export const JsonBothWays: Story = {
  play: async ({ canvasElement }) => {
    const d = dialogOf(canvasElement);
    const json = d.getByLabelText('Scenario file (JSON)') as HTMLTextAreaElement;
    const good = json.value;
    await userEvent.clear(json);
    await userEvent.paste('{\n  "durationMs": 1000,\n  "topology": { "wsServers": 9 ]\n}');
    await expect(await d.findByTestId('json-error')).toHaveTextContent(/line 3, column 32/);
    await expect(d.getByLabelText('topology.wsServers')).toHaveValue('3');
    await userEvent.clear(json);
    await userEvent.paste(good.replace('"wsServers": 3', '"wsServers": 6'));
    await waitFor(() => expect(d.getByLabelText('topology.wsServers')).toHaveValue('6'));
    await expect(d.queryByTestId('json-error')).toBeNull();
  },
};

/** Saving lists the scenario; names with markup show as text; a damaged saved list is dropped with a message, not a crash. */
export const SaveAndDamagedStorage: Story = {
  args: { saved: JSON.stringify([{ name: '<img src=x onerror=alert(1)>', base: 'group-chat', patch: {} }, { name: 'broken', base: 42, patch: {} }, 'junk']) },
  play: async ({ canvasElement, args }) => {
    const d = dialogOf(canvasElement);
    const saved = d.getByRole('region', { name: 'Your scenarios' });
    await expect(within(saved).getByText('<img src=x onerror=alert(1)>')).toBeVisible();
    await expect(canvasElement.ownerDocument.querySelector('.editor-saved img')).toBeNull();
    const dropped = within(saved).getByTestId('saved-messages');
    await expect(dropped).toHaveTextContent('Dropped saved scenario "broken": its preset "42" is not a preset id.');
    await expect(dropped).toHaveTextContent('Dropped saved scenario entry 3: it is not an object.');
    await userEvent.click(d.getByLabelText('Name'));
    await userEvent.paste('A %%{init}%% name');
    await userEvent.click(d.getByRole('button', { name: 'Save' }));
    await expect(await d.findByTestId('editor-status')).toHaveTextContent('Saved "A %%{init}%% name".');
    await expect(within(saved).getByText('A %%{init}%% name')).toBeVisible();
    await userEvent.click(d.getByRole('button', { name: 'Run this scenario' }));
    await expect(args.onRun).toHaveBeenCalledWith({ name: 'A %%{init}%% name', base: 'group-chat', patch: {} });
  },
};

/** Importing: a damaged file is refused with each problem's path; a good file (a complete scenario, as `sim show` prints) replaces the form, kept as changes to the closest preset. */
export const ImportFiles: Story = {
  play: async ({ canvasElement }) => {
    const d = dialogOf(canvasElement);
    const input = d.getByLabelText('Import file');
    await userEvent.upload(input, new File(['{ "durationMs": 1000, "workload": { "users": "eight" }, "faults": [{ "at": -1 }] }'], 'bad.json', { type: 'application/json' }));
    const status = await d.findByTestId('editor-status');
    await waitFor(() => expect(status).toHaveTextContent('bad.json was not imported:'));
    await expect(status).toHaveTextContent('workload.users: "eight" has the wrong type (allowed: a number)');
    await expect(status).toHaveTextContent('faults[0].at: -1 is too small');
    await userEvent.upload(input, new File(['{ "durationMs": 1000,\n  "broker": { "kind": ] }'], 'broken.json', { type: 'application/json' }));
    await waitFor(() => expect(status).toHaveTextContent(/not valid JSON at line 2, column 23/));
    const file = JSON.stringify({ durationMs: 20_000, topology: { wsServers: 2 }, workload: { users: 4, privateChats: 2 } });
    await userEvent.upload(input, new File([file], 'two servers.json', { type: 'application/json' }));
    await waitFor(() => expect(status).toHaveTextContent(/Imported two servers\.json \(kept as changes to [\w-]+\)/));
    await expect(d.getByLabelText('Name', { selector: 'input' })).toHaveValue('two servers');
    await waitFor(() => expect(jsonOf(d)).toContain('"durationMs": 20000'));
    await d.findByTestId('editor-valid');
  },
};
