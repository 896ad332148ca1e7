// The traffic panel's browser bundle. Filled in by the traffic-panel issue.
export {};
