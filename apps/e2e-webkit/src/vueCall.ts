// The Vue half of the page: a component using the composable, rendering its peer's phase and error.
import { createInMemorySignalingPair } from '@peerstatejs/core';
import { usePeer } from '@peerstatejs/vue';
import { defineComponent, h } from 'vue';

export const VueCall = defineComponent(() => {
  const [signaling] = createInMemorySignalingPair();
  const { phase, error } = usePeer({ signaling, polite: true });
  return () =>
    h(
      'p',
      { 'data-phase': phase.value, 'data-code': error.value?.code ?? '' },
      `${phase.value}${error.value ? ` (${error.value.code})` : ''}`,
    );
});
