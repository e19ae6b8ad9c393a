// The room view (?view=room, issue 18): participants of one mesh in this page over the in-page
// room server. Asserts what arrives, not only states: every remote picture shows its sender's
// camera colour and its decoded-frame and audio-packet counters grow; chat reaches everyone;
// each link's two machines are in the inspectors (statechart, timeline with sent signaling); a
// fourth joins and is received by all; mute turns a sender's picture black and its tone silent
// at every other participant; a camera switch shows the new camera at every other; a leaver is
// dropped by all within 2 s, and coming back makes a new link. Called from run.mjs.

/** The camera colours of syntheticMedia.ts (cameraColor), by participant. */
const COLORS = {
  Ann: [220, 40, 40],
  Ben: [40, 160, 60],
  Cat: [40, 80, 220],
  Dan: [220, 160, 20],
};
const complement = (rgb) => rgb.map((c) => 255 - c);
/** VP8 at 160×120 moves a flat colour by a few dozen at most. */
const TOLERANCE = 60;
const LEFT_DROPPED_MS = 2_000;

/**
 * `full`: every check; otherwise (the development build, where StrictMode mounts twice) only the
 * first two: the mesh comes up once, with no participant twice.
 */
export function roomChecks({
  context,
  origin,
  check,
  assert,
  prefix,
  watch,
  problems,
  shotPath,
  full,
}) {
  let page;
  const tile = (id) => page.locator(`section.room-tile[data-participant="${id}"]`);
  const remote = (at, from) => tile(at).locator(`figure.room-remote[data-remote="${from}"]`);

  /** The centre-right pixel of `at`'s picture of `from` (clear of the name and the bar). */
  const pixel = (at, from) =>
    remote(at, from)
      .getByTestId('remote-video')
      .evaluate((video) => {
        if (video.videoWidth === 0) return null;
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const context2d = canvas.getContext('2d');
        context2d.drawImage(video, 0, 0);
        const x = Math.round(video.videoWidth * 0.85);
        const y = Math.round(video.videoHeight * 0.45);
        return [...context2d.getImageData(x, y, 1, 1).data.slice(0, 3)];
      });
  const near = (rgb, want) => rgb?.every((c, i) => Math.abs(c - want[i]) <= TOLERANCE) === true;
  /** Waits until `at`'s picture of `from` is `want`; throws with the last pixel seen. */
  const waitPicture = async (at, from, want, timeout = 10_000) => {
    const end = Date.now() + timeout;
    let seen = null;
    while (Date.now() < end) {
      seen = await pixel(at, from);
      if (near(seen, want)) return;
      await page.waitForTimeout(100);
    }
    throw new Error(`${at}'s picture of ${from} is ${JSON.stringify(seen)}, want ≈${want}`);
  };
  const inbound = async (at, from) => {
    const data = await remote(at, from)
      .getByTestId('inbound')
      .evaluate((el) => ({ ...el.dataset }));
    return {
      frames: Number(data.frames),
      audio: Number(data.audioPackets),
      level: data.audioLevel === '' ? null : Number(data.audioLevel),
    };
  };
  /** Both counters of every remote of every tile grow (sampled twice, a second apart). */
  const mediaGrows = async (ids) => {
    const pairs = ids.flatMap((at) => ids.filter((from) => from !== at).map((from) => [at, from]));
    const before = await Promise.all(pairs.map(([at, from]) => inbound(at, from)));
    await page.waitForFunction(
      ([list, counts]) =>
        list.every(([at, from], i) => {
          const el = document.querySelector(
            `section.room-tile[data-participant="${at}"] figure[data-remote="${from}"] [data-testid="inbound"]`,
          );
          return (
            Number(el?.dataset.frames) > counts[i].frames &&
            Number(el?.dataset.audioPackets) > counts[i].audio
          );
        }),
      [pairs, before],
      { timeout: 10_000 },
    );
  };
  const connectedMesh = async (ids) => {
    for (const at of ids) {
      for (const from of ids.filter((id) => id !== at)) {
        await remote(at, from).getByTestId('phase').filter({ hasText: 'connected' }).waitFor();
      }
    }
  };
  /** Polls a tone's level at `at` from `from` until `test` holds. */
  const waitLevel = async (at, from, test, what) => {
    const end = Date.now() + 10_000;
    let last;
    while (Date.now() < end) {
      last = (await inbound(at, from)).level;
      if (test(last)) return;
      await page.waitForTimeout(150);
    }
    throw new Error(`${at} hears ${from} at level ${last}: want ${what}`);
  };

  return {
    async run() {
      page = await context.newPage();
      watch(page, problems, 'room view');
      try {
        await body();
      } finally {
        await page.close();
      }
    },
  };

  async function body() {
    const three = ['Ann', 'Ben', 'Cat'];
    await check(`${prefix} room view: three participants, every pair connected`, async () => {
      await page.goto(`${origin}/?view=room`);
      for (const id of three) await tile(id).waitFor();
      await connectedMesh(three);
      const tiles = await page.locator('section.room-tile').count();
      assert(tiles === 3, `${tiles} participants, want 3`);
      for (const at of three) {
        const count = await tile(at).locator('figure.room-remote').count();
        assert(count === 2, `${at} shows ${count} remotes, want 2`);
      }
    });

    await check(`${prefix} room view: pictures, audio and chat reach everyone`, async () => {
      await mediaGrows(three);
      for (const at of three) {
        for (const from of three.filter((id) => id !== at))
          await waitPicture(at, from, COLORS[from]);
      }
      await tile('Ann').getByLabel('Ann message').fill('hello room');
      await tile('Ann').getByRole('button', { name: 'Send to all' }).click();
      for (const at of ['Ben', 'Cat']) {
        await tile(at).locator('.room-chat li').filter({ hasText: 'Ann hello room' }).waitFor();
      }
      await page.screenshot({ path: shotPath('room-view') });
    });
    if (!full) return;

    await check(`${prefix} room view: each link's two machines in the inspectors`, async () => {
      for (const link of ['Ann–Ben', 'Ann–Cat', 'Ben–Cat']) {
        await page.locator(`nav.room-links button[data-link="${link}"]`).waitFor();
      }
      await remote('Cat', 'Ben').getByRole('button', { name: 'Inspect' }).click();
      const pressed = await page.locator('nav.room-links [aria-pressed="true"]').textContent();
      assert(pressed === 'Ben–Cat', `selected link ${pressed}`);
      for (const name of ['Ben→Cat', 'Cat→Ben']) {
        const head = page.locator(`section.peer-head[data-peer="${name}"]`);
        await head.getByTestId('phase').filter({ hasText: 'connected' }).waitFor();
        await head
          .locator('[data-testid="state-graph"] [data-node-id][data-active="true"]')
          .first()
          .waitFor();
        const panel = page.locator(`section.peer-panel[data-peer="${name}"]`);
        // The sent rows come from the room's transport; received ones are the machine's events.
        await panel.locator('.timeline li[data-kind="sent"]').first().waitFor();
        await panel.locator('.timeline li[data-kind="transition"]').first().waitFor();
      }
    });

    const four = [...three, 'Dan'];
    await check(`${prefix} room view: a fourth joins and everyone receives it`, async () => {
      await page.getByRole('button', { name: 'Add participant' }).click();
      await connectedMesh(four);
      await mediaGrows(four);
      for (const at of three) await waitPicture(at, 'Dan', COLORS.Dan);
    });

    await check(`${prefix} room view: mute reaches every other participant`, async () => {
      const others = four.filter((id) => id !== 'Ben');
      for (const at of others) {
        await waitLevel(at, 'Ben', (l) => l !== null && l > 0.005, '> 0.005');
      }
      await tile('Ben').getByRole('button', { name: 'Mute video' }).click();
      await tile('Ben').getByRole('button', { name: 'Mute audio' }).click();
      // A disabled track is sent as black frames and silence (the frames keep coming).
      for (const at of others) {
        await waitPicture(at, 'Ben', [0, 0, 0]);
        await waitLevel(at, 'Ben', (l) => l !== null && l < 0.002, '< 0.002');
      }
      await tile('Ben').getByRole('button', { name: 'Unmute video' }).click();
      await tile('Ben').getByRole('button', { name: 'Unmute audio' }).click();
      for (const at of others) {
        await waitPicture(at, 'Ben', COLORS.Ben);
        await waitLevel(at, 'Ben', (l) => l !== null && l > 0.005, '> 0.005');
      }
    });

    await check(
      `${prefix} room view: a camera switch reaches every other participant`,
      async () => {
        await tile('Cat').getByRole('button', { name: 'Switch camera' }).click();
        for (const at of four.filter((id) => id !== 'Cat')) {
          await waitPicture(at, 'Cat', complement(COLORS.Cat));
        }
      },
    );

    await check(`${prefix} room view: a leaver is dropped by all within 2 s`, async () => {
      const left = Date.now();
      await tile('Dan').getByRole('button', { name: 'Leave' }).click();
      await page.waitForFunction(() => !document.querySelector('figure[data-remote="Dan"]'), null, {
        timeout: LEFT_DROPPED_MS,
      });
      const took = Date.now() - left;
      assert(took <= LEFT_DROPPED_MS, `Dan dropped after ${took} ms`);
      await page
        .locator('nav.room-links button[data-link="Ann–Dan"]', { hasText: 'ended' })
        .waitFor();
      // Back again: a new link with machines of its own; the ended one stays to inspect.
      await page.getByRole('button', { name: 'Add participant' }).click();
      await connectedMesh(four);
      await page.locator('nav.room-links button[data-link="Ann–Dan #2"]').waitFor();
      for (const at of three) await waitPicture(at, 'Dan', COLORS.Dan);
    });
  }
}
