/**
 * The message-flow lab has no controls: its runs are fixed so that the sequence diagrams are the
 * required diagram 1. The seed stays the student's to change (it moves users between servers).
 */
import type { Control } from '../framework/index.ts';

export const CONTROLS: readonly Control[] = [];
