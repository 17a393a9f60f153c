import { runAnswerLatencyBench } from './answer-latency.js';

console.log(await runAnswerLatencyBench());
