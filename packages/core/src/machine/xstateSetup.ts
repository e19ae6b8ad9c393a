/**
 * xstate's `setup`, with xstate's own type, minus what this machine never calls.
 * @module
 */
import {
  type AnyStateMachine,
  assign,
  createMachine,
  emit,
  enqueueActions,
  raise,
  sendTo,
  type setup as xstateSetup,
} from 'xstate';

type Implementations = {
  readonly actors?: object | undefined;
  readonly actions?: object | undefined;
  readonly guards?: object | undefined;
  readonly delays?: object | undefined;
};

/**
 * What xstate's `setup()` builds, but without `log`, `cancel`, `stopChild` and `spawnChild`: its
 * result is an object literal holding every action creator, so no bundler can drop the four this
 * machine never uses (0.2 kB min+gzip). `schemas` (unused here) is not passed on either. Calling
 * one of the four fails when the module is loaded, so no test run could miss it.
 */
function lightSetup({ actors, actions, guards, delays }: Implementations): object {
  return {
    assign,
    sendTo,
    raise,
    enqueueActions,
    emit,
    createStateConfig: <T>(config: T) => config,
    createAction: <T>(action: T) => action,
    createMachine: (config: Parameters<typeof createMachine>[0]): AnyStateMachine =>
      createMachine(config, { actors, actions, guards, delays } as Parameters<
        typeof createMachine
      >[1]),
    extend: (extended: Implementations) =>
      lightSetup({
        actors,
        actions: { ...actions, ...extended.actions },
        guards: { ...guards, ...extended.guards },
        delays: { ...delays, ...extended.delays },
      }),
  };
}

/** xstate's `setup`, typed as xstate's; see {@link lightSetup} for what it leaves out. */
export const setup = lightSetup as unknown as typeof xstateSetup;
