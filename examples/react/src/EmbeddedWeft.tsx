import { type EmbedEventType, type EmbedView, type MountOptions, mountWeft } from '@weft/embed';
import { useEffect, useEffectEvent, useRef } from 'react';

export interface EmbeddedWeftProps {
  /** The Weft host, e.g. `https://weft.example.com`. */
  host: string;
  view: EmbedView;
  /** Returns a fresh embed token from your backend (called again when the view refreshes its session). */
  token: () => Promise<string>;
  /** `modal` puts the view in an overlay over the page; `inline` (default) fills this component's box. */
  target?: 'inline' | 'modal';
  params?: Record<string, string>;
  theme?: MountOptions['theme'];
  className?: string;
  onEvent?: (event: EmbedEventType, payload: unknown) => void;
  /** The user closed the view (the modal's close button or Escape). */
  onClose?: () => void;
  /** The view did not become ready: the host refused the token or could not be reached in time. */
  onError?: (error: Error) => void;
}

/** A Weft host view in a sandboxed iframe, mounted with `mountWeft` and destroyed on unmount. */
export function EmbeddedWeft({
  host,
  view,
  token,
  target = 'inline',
  params,
  theme,
  className,
  onEvent,
  onClose,
  onError,
}: EmbeddedWeftProps) {
  const slot = useRef<HTMLDivElement>(null);
  const getToken = useEffectEvent(() => token());
  const handleEvent = useEffectEvent((event: EmbedEventType, payload: unknown) => {
    onEvent?.(event, payload);
    if (event === 'closed') onClose?.();
  });
  const handleError = useEffectEvent((error: Error) => onError?.(error));
  const paramsKey = JSON.stringify(params ?? {});
  const themeKey = JSON.stringify(theme ?? null);

  useEffect(() => {
    let unmounting = false;
    const weft = mountWeft({
      host,
      view,
      params: JSON.parse(paramsKey),
      theme: JSON.parse(themeKey) ?? undefined,
      target: target === 'modal' ? { modal: true } : slot.current!,
      token: () => getToken(),
      onEvent: (event, payload) => {
        if (!(unmounting && event === 'closed')) handleEvent(event, payload);
      },
    });
    weft.ready.catch((error: Error) => !unmounting && handleError(error));
    return () => {
      unmounting = true;
      weft.destroy();
    };
  }, [host, view, target, paramsKey, themeKey]);

  return target === 'inline' ? <div ref={slot} className={className} /> : null;
}
