// Stand-in for the `server-only` marker package under vitest and CLI scripts, which run on the server by definition.
export {};
