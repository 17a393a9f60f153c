/** The analysis thread's entry (a build entry point of its own, next to main.js). */
import { serveThread } from '../../platform/threads.js';
import { analyseTask } from './ai.analysis.js';

serveThread(analyseTask);
