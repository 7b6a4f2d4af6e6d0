// The worker only exposes the workbench (the simulation's API and the session around it); all
// logic lives in shared modules so it also runs on the main thread and in Node.
import { expose } from 'comlink';
import { createWorkbench } from '../../workbench/index.ts';

expose(createWorkbench());
