// The trace build's extra exports (a second entry file of the `trace` target, so the release core has none).
export { TRACE_HEAD as TRACE_STATE_HEAD, TRACE_LOST as TRACE_STATE_LOST, TRACE_RING as TRACE_STATE_RING } from "../state/layout";
export { TRACE_RING_SIZE as TRACE_STATE_RING_SIZE, TRACE_LIMIT as TRACE_STATE_LIMIT } from "../state/layout";
