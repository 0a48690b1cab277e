import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { KEY_BINDINGS, keyLabel } from './keys.js';
import { theme } from './theme.js';
import { sanitize } from '../src/text/sanitize.js';
import type { Confirm } from './ui-state.js';

/** Key hints from the registry — or, when asking, the confirmation prompt, or the filter being typed. */
export const Footer = memo(function Footer({ width, line, confirm, filtering, filter, message }: { width: number; line: string; confirm: Confirm | null; filtering: boolean; filter: string; message: string }) {
  if (confirm) {
    return (
      <Box width={width} height={1} overflowY="hidden">
        <Text wrap="truncate" bold inverse color={theme.warn}>
          {` ${confirm.prompt} — y to confirm, any other key cancels `}
        </Text>
      </Box>
    );
  }
  if (filtering) {
    return (
      <Box width={width} height={1} overflowY="hidden">
        <Text wrap="truncate">
          <Text bold color={theme.info}>/</Text>
          {filter}
          <Text inverse> </Text>
          <Text color={theme.muted}>  Enter keeps the filter · Esc clears</Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1} overflowY="hidden">
      <Text wrap="truncate">
        {/* Feedback first: a key's answer must never be cut off behind the hints. */}
        {message ? (
          <Text>
            <Text color={theme.warn}>{message}</Text>
            <Text color={theme.muted}> │ </Text>
          </Text>
        ) : null}
        {KEY_BINDINGS.filter((b) => b.footer).map((b) => (
          <Text key={b.id}>
            <Text bold color={b.confirm ? theme.warn : theme.info}>
              {keyLabel(b)}
            </Text>
            <Text color={theme.muted}> {b.label} </Text>
          </Text>
        ))}
        <Text color={theme.muted}>│ </Text>
        <Text color={theme.muted}>{sanitize(line, 400)}</Text>
      </Text>
    </Box>
  );
});
