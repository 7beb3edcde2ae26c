// When each successful pull sent its configuration command (src/store/schema/pull.ts pull_runs.read_at;
// issue 15 item 7): an account made between a pull's start and that moment is in what the pull read,
// and its creation is one. Runs stored before carry none and are judged by their start, as they were.
export default `
ALTER TABLE pull_runs ADD COLUMN read_at INTEGER;
`;
