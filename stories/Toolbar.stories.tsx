import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { Toolbar } from '../src/ui/components/Toolbar.tsx';
import { groupChat } from './fixtures.ts';

const meta = {
  title: 'Workbench/Toolbar',
  component: Toolbar,
  parameters: { layout: 'fullscreen' },
  args: {
    scenarios: groupChat().wb.catalog(),
    scenario: 'group-chat',
    seed: 42,
    status: 'paused',
    speed: 1,
    nowMs: 12_345,
    runtime: 'worker',
    theme: 'light',
    onLoad: fn(),
    onTogglePlay: fn(),
    onStep: fn(),
    onSpeed: fn(),
    onToggleTheme: fn(),
    onHelp: fn(),
  },
} satisfies Meta<typeof Toolbar>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Paused: the seed is on screen and editable; Enter loads the typed seed. */
export const Paused: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTestId('sim-time')).toHaveTextContent('12.345 s');
    const seed = canvas.getByLabelText('Seed');
    await expect(seed).toHaveValue('42');
    await userEvent.clear(seed);
    await userEvent.type(seed, '7{Enter}');
    await expect(args.onLoad).toHaveBeenCalledWith('group-chat', 7);
    await userEvent.click(canvas.getByRole('button', { name: 'Play' }));
    await expect(args.onTogglePlay).toHaveBeenCalledOnce();
  },
};

/** Playing: the main button pauses; the status says so. */
export const Playing: Story = {
  args: { status: 'playing', speed: 0.01 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: 'Pause' })).toBeEnabled();
    await expect(canvas.getByTestId('run-status')).toHaveTextContent('Playing');
    await expect(canvas.getByText('0.01×')).toBeVisible();
  },
};

/** A seed that is not a 32-bit integer is refused with a hint, and nothing loads. */
export const InvalidSeed: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const seed = canvas.getByLabelText('Seed');
    await userEvent.clear(seed);
    await userEvent.type(seed, '12ab{Enter}');
    await expect(seed).toHaveAttribute('aria-invalid', 'true');
    await expect(canvas.getByText(/A whole number/)).toBeVisible();
    await expect(args.onLoad).not.toHaveBeenCalled();
  },
};

/** Loading a run: transport disabled. */
export const Loading: Story = {
  args: { status: 'loading', scenarios: [] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: 'Play' })).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Step' })).toBeDisabled();
  },
};

/** Picking another scenario loads it with the seed shown. */
export const PickScenario: Story = {
  play: async ({ canvasElement, args }) => {
    await userEvent.selectOptions(within(canvasElement).getByLabelText('Scenario'), 'rate-limit-burst');
    await expect(args.onLoad).toHaveBeenCalledWith('rate-limit-burst', 42);
  },
};

/** Free play with saved custom scenarios (ADR 0030): they have their own group in the picker; picking one, or a new seed while one is loaded, loads it by name. */
export const WithCustomScenarios: Story = {
  args: { customs: ['Five servers', '<b>markup</b>'], custom: 'Five servers', onLoadCustom: fn() },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const picker = canvas.getByLabelText('Scenario');
    await expect(picker).toHaveValue('custom:Five servers');
    await expect(canvas.getByRole('group', { name: 'Your scenarios' })).toBeInTheDocument();
    await expect(canvas.getByRole('option', { name: '<b>markup</b>' })).toBeInTheDocument();
    await userEvent.selectOptions(picker, 'custom:<b>markup</b>');
    await expect(args.onLoadCustom).toHaveBeenCalledWith('<b>markup</b>', 42);
    const seed = canvas.getByLabelText('Seed');
    await userEvent.clear(seed);
    await userEvent.type(seed, '7{Enter}');
    await expect(args.onLoadCustom).toHaveBeenCalledWith('Five servers', 7);
    await userEvent.selectOptions(picker, 'group-chat');
    await expect(args.onLoad).toHaveBeenCalledWith('group-chat', 7);
  },
};
