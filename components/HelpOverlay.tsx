import React from 'react';
import { Box, Text } from 'ink';
import { KEY_BINDINGS, keyLabel, type KeyBinding } from './keys.js';
import { theme } from './theme.js';
import { REMOTE_COMMANDS } from '../src/alerts/remote.js';

// From Telegram (allow-listed users in allow-listed chats); /resume asks for /confirm.
const REMOTE = `Telegram: ${REMOTE_COMMANDS.map((c) => (c.confirm ? `${c.command}*` : c.command)).join(' ')}  (* needs /confirm <code>)`;

const LABEL = Math.max(...KEY_BINDINGS.map((b) => keyLabel(b).length)) + 1;
const entryWidth = (b: KeyBinding) => LABEL + b.help.length;

/**
 * Every key, from the same registry that handles input. One line per key when
 * the screen has room; on a short screen (80×24) the shortest neighbours share
 * a line, so no key is ever cut off.
 */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const lines: KeyBinding[][] = KEY_BINDINGS.map((b) => [b]);
  const room = Math.max(1, height - 3);
  const inner = width - 4;
  while (lines.length > room) {
    let best = -1;
    let bestLen = Infinity;
    for (let i = 0; i + 1 < lines.length; i++) {
      const len = [...lines[i]!, ...lines[i + 1]!].reduce((n, b) => n + entryWidth(b) + 3, -3);
      if (len <= inner && len < bestLen) [best, bestLen] = [i, len];
    }
    if (best < 0) break;
    lines.splice(best, 2, [...lines[best]!, ...lines[best + 1]!]);
  }
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.info} width={width} height={height} overflow="hidden" paddingX={1}>
      <Text bold wrap="truncate">
        Keys <Text color={theme.muted}>— ? or Esc closes · yellow keys ask to confirm</Text>
      </Text>
      {lines.map((group) => (
        <Box key={group.map((b) => b.id).join('+')} flexShrink={0}>
          <Text wrap="truncate">
            {group.map((b, i) => (
              <Text key={b.id}>
                {i ? <Text color={theme.muted}>{' · '}</Text> : null}
                <Text bold color={b.confirm ? theme.warn : theme.info}>
                  {keyLabel(b).padEnd(LABEL)}
                </Text>
                {b.help}
              </Text>
            ))}
          </Text>
        </Box>
      ))}
      <Text wrap="truncate" color={theme.muted}>
        {REMOTE}
      </Text>
    </Box>
  );
}
