import React from 'react';
import { Box, Text } from 'ink';
import { KEY_BINDINGS, keyLabel } from './keys.js';
import { theme } from './theme.js';
import { REMOTE_COMMANDS } from '../src/alerts/remote.js';

// From Telegram (allow-listed users in allow-listed chats); /resume asks for /confirm.
const REMOTE = `Telegram: ${REMOTE_COMMANDS.map((c) => (c.confirm ? `${c.command}*` : c.command)).join(' ')}  (* needs /confirm <code>)`;

/** Every key, from the same registry that handles input (fits 80×24: one line per key). */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.info} width={width} height={height} overflow="hidden" paddingX={1}>
      <Text bold wrap="truncate">
        Keys <Text color={theme.muted}>— ? or Esc closes · yellow keys ask to confirm</Text>
      </Text>
      {KEY_BINDINGS.map((b) => (
        <Box key={b.id} flexShrink={0}>
          <Text wrap="truncate">
            <Text bold color={b.confirm ? theme.warn : theme.info}>
              {keyLabel(b).padEnd(10)}
            </Text>
            {b.help}
          </Text>
        </Box>
      ))}
      <Text wrap="truncate" color={theme.muted}>
        {REMOTE}
      </Text>
    </Box>
  );
}
