import { HIGHLIGHT_END, HIGHLIGHT_START } from '@switchboard/shared';
import { Fragment } from 'react';

/** A search fragment with its matches marked (`<mark>`), from the server's highlight markers. */
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(HIGHLIGHT_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return <Fragment key={i}>{part}</Fragment>;
        const [hit, rest = ''] = part.split(HIGHLIGHT_END);
        return (
          <Fragment key={i}>
            <mark>{hit}</mark>
            {rest}
          </Fragment>
        );
      })}
    </>
  );
}
