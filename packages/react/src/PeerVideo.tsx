'use client';

import { type ReactNode, useEffect, useRef, type VideoHTMLAttributes } from 'react';

/** Props of {@link PeerVideo}: the stream to show, plus any `<video>` attribute. */
export interface PeerVideoProps
  extends Omit<VideoHTMLAttributes<HTMLVideoElement>, 'src' | 'children'> {
  /** The stream to show; `null` shows nothing. */
  readonly stream: MediaStream | null | undefined;
}

/**
 * A `<video>` showing a `MediaStream` (`srcObject` has no attribute, so it is set after mount and
 * cleared on change and unmount). Plays inline and automatically unless told otherwise; add
 * `muted` for local previews.
 */
export function PeerVideo({
  stream,
  autoPlay = true,
  playsInline = true,
  ...props
}: PeerVideoProps): ReactNode {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = stream ?? null;
    return () => {
      video.srcObject = null;
    };
  }, [stream]);
  return <video ref={ref} autoPlay={autoPlay} playsInline={playsInline} {...props} />;
}
