import { defineComponent, h, onBeforeUnmount, shallowRef, watchPostEffect } from 'vue';

/** Props of {@link PeerVideo}: the stream to show. */
export interface PeerVideoProps {
  /** The stream to show; `null` shows nothing. */
  readonly stream?: MediaStream | null | undefined;
}

/**
 * A `<video>` showing a `MediaStream` (`srcObject` has no attribute, so it is set after mount and
 * cleared on change and unmount). Plays inline and automatically; other attributes (`muted`,
 * `class`, …) fall through to the `<video>`.
 */
export const PeerVideo = defineComponent(
  (props: PeerVideoProps) => {
    const video = shallowRef<HTMLVideoElement | null>(null);
    watchPostEffect(() => {
      if (video.value) video.value.srcObject = props.stream ?? null;
    });
    onBeforeUnmount(() => {
      if (video.value) video.value.srcObject = null;
    });
    return () => h('video', { ref: video, autoplay: true, playsinline: true });
  },
  { name: 'PeerVideo', props: ['stream'] },
);
