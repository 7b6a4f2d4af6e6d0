// The worker only exposes the kernel's API; all logic lives in src/sim so it also runs in Node.
import { expose } from 'comlink';
import { createSimApi } from '../../sim/index.ts';

expose(createSimApi());
