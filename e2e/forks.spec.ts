// The fork view through a real partition (4 local nodes, 500 ms blocks): split the network
// 2|2 through the control API, see two branches with every node's tip on its side, the fork
// point ringed and the active fault named above the graph (and the faulted links on /peers);
// heal, see one branch carry all four tips with the losing branch dimmed; then move the time
// slider back into the partition and see the two branches again. Screenshots of each state go
// into the test output.
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';

// playwright.config.ts starts the server with this CONTROL_TOKEN.
const TOKEN = 'e2e-control-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

interface NodeJson {
  id: string;
  name: string;
  height: number | null;
}
interface Network {
  status: 'agreed' | 'forked' | 'stalled' | 'unknown';
  forkHeight?: number;
}

async function network(request: APIRequestContext): Promise<Network> {
  return ((await (await request.get('/api/health')).json()) as { network: Network }).network;
}

async function nodeList(request: APIRequestContext): Promise<NodeJson[]> {
  const body = (await (await request.get('/api/nodes')).json()) as { nodes: NodeJson[] };
  return body.nodes.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

async function heal(request: APIRequestContext) {
  return request.post('/api/chaos', { data: { kind: 'heal' }, headers: auth });
}

/** Node name → lane of the block its tip label sits on. */
async function tipLanes(graph: Locator): Promise<Record<string, string>> {
  return graph.getByTestId('fork-tip').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-node') ?? '?', e.getAttribute('data-lane') ?? '?'])));
}

/** "node-1,node-2|node-3,node-4": the tips grouped by lane, each group and the groups sorted. */
function split(lanes: Record<string, string>): string {
  const byLane = new Map<string, string[]>();
  for (const [name, lane] of Object.entries(lanes)) byLane.set(lane, [...(byLane.get(lane) ?? []), name]);
  return [...byLane.values()]
    .map((g) => g.sort().join(','))
    .sort()
    .join('|');
}

async function shot(page: Page, path: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
}

/** Move the range input the way a drag does (React sees an input event with a new value). */
async function setSlider(slider: Locator, value: number) {
  await slider.evaluate((el, v) => {
    const input = el as HTMLInputElement;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(v));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

test.describe('forks', () => {
  test.afterAll(async ({ request }) => {
    // Whatever happened, leave the network whole for the next spec file.
    await heal(request);
  });

  test('a 2|2 partition shows two branches with their tips, heal shows one, and the time slider shows the fork again', async ({ page, request }, testInfo) => {
    test.setTimeout(300_000);
    const nodes = await nodeList(request);
    expect(nodes).toHaveLength(4);
    const [n1, n2, n3, n4] = nodes;
    const wantSplit = `${n1.name},${n2.name}|${n3.name},${n4.name}`;
    await expect.poll(async () => (await network(request)).status, { timeout: 60_000 }).toBe('agreed');

    let healed = false;
    try {
      const applied = await request.post('/api/chaos', {
        data: {
          kind: 'partition',
          groups: [
            [n1.id, n2.id],
            [n3.id, n4.id],
          ],
        },
        headers: auth,
      });
      expect(applied.ok(), await applied.text()).toBe(true);
      const actionId = ((await applied.json()) as { action: { id: number } }).action.id;

      // Forked, and both branches at least 3 blocks past the height where they split.
      let forkHeight = -1;
      await expect
        .poll(
          async () => {
            const net = await network(request);
            forkHeight = net.forkHeight ?? -1;
            return net.status;
          },
          { timeout: 60_000 },
        )
        .toBe('forked');
      await expect
        .poll(
          async () => {
            const net = await network(request);
            if (net.status !== 'forked' || net.forkHeight === undefined) return `status ${net.status}`;
            forkHeight = net.forkHeight;
            const lowest = Math.min(...(await nodeList(request)).map((n) => n.height ?? -1));
            return lowest >= forkHeight + 3 ? 'grown' : `lowest tip #${lowest}, fork at #${forkHeight}`;
          },
          { timeout: 60_000 },
        )
        .toBe('grown');
      // A moment when the network was split: the time slider goes back here later.
      const forkedAt = Date.now();
      // The fork height is the first height the groups disagree on; its parent is the fork point.
      const forkPoint = forkHeight - 1;

      // /peers: the partitioned links are drawn and listed as such.
      await page.goto('/peers');
      const faultedLinks = page.locator('[data-testid="peer-link"][data-faults]');
      await expect(faultedLinks).toHaveCount(4);
      await expect(faultedLinks.first()).toHaveAttribute('data-faults', `partition #${actionId}`);
      await expect(faultedLinks.first().getByTestId('peer-link-fault')).toHaveText(`partition #${actionId}`);
      await expect(page.locator('[data-testid="peer-row"][data-faulted]')).toHaveCount(8);
      await expect(page.locator('[data-testid="peer-row"]:not([data-faulted])').first().getByTestId('peer-faults')).toHaveText('—');
      await expect(page.getByTestId('peers-summary')).toContainText('4 under chaos faults');
      await shot(page, testInfo.outputPath('peers-partitioned.png'));

      // /forks, live: two branches, four tips split by group, the fork point, the fault strip.
      await page.goto('/forks');
      const graph = page.getByTestId('fork-graph');
      await expect(graph).toHaveAttribute('data-tip-branches', '2');
      await expect(graph.getByTestId('fork-tip')).toHaveCount(4);
      for (const n of nodes) await expect(graph.locator(`[data-testid="fork-tip"][data-node="${n.name}"]`)).toHaveCount(1);
      await expect.poll(async () => split(await tipLanes(graph))).toBe(wantSplit);
      await expect(graph.locator(`[data-testid="fork-block"][data-fork-point][data-height="${forkPoint}"]`)).toHaveCount(1);
      await expect(graph.locator(`[data-testid="fork-block"][data-fork-point][data-height="${forkPoint}"] .fk-forkring`)).toBeVisible();
      await expect(page.getByTestId('fork-summary')).toContainText('4 node heads on 2 branches');
      const strip = page.getByTestId('fork-faults');
      await expect(strip).toHaveAttribute('data-mode', 'live');
      await expect(strip.locator(`[data-testid="fork-fault"][data-kind="partition"][data-id="${actionId}"]`)).toContainText(`${n1.name}, ${n2.name} | ${n3.name}, ${n4.name}`);
      await expect(strip).toContainText(/since \d/);
      await expect(strip.getByRole('link').first()).toHaveAttribute('href', '/chaos');
      await shot(page, testInfo.outputPath('forks-1-partitioned.png'));

      // Heal: one branch carries all four tips, the losing branch stays drawn, orphaned.
      const healRes = await heal(request);
      expect(healRes.ok(), await healRes.text()).toBe(true);
      healed = true;
      await expect.poll(async () => (await network(request)).status, { timeout: 60_000 }).toBe('agreed');
      await expect(graph).toHaveAttribute('data-tip-branches', '1', { timeout: 60_000 });
      await expect(graph.getByTestId('fork-tip')).toHaveCount(4);
      await expect.poll(async () => split(await tipLanes(graph))).toBe(nodes.map((n) => n.name).join(','));
      await expect.poll(async () => graph.locator('[data-testid="fork-block"][data-orphaned]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      await expect(graph.locator('[data-testid="fork-block"][data-orphaned] .fk-orphan').first()).toBeVisible();
      await expect(graph.locator(`[data-testid="fork-block"][data-fork-point][data-height="${forkPoint}"]`)).toHaveCount(1);
      await expect(strip).toHaveCount(0);
      await expect(page.getByTestId('fork-reorgs').getByTestId('reorg-row').first()).toBeVisible();
      await shot(page, testInfo.outputPath('forks-2-healed.png'));

      // Back in time to the partition: two branches and the 2|2 split again, the fault named as it was then.
      const slider = page.getByLabel('Time', { exact: true });
      // The slider commits a drag 300 ms after it stops, into the URL (?at=). A clean-clone CI run
      // saw one drag never committed (the label said "as of", no ?at= request followed, and the
      // view was live again): wait for the committed moment, dragging again if it was lost.
      await expect(async () => {
        if (!/[?&]at=\d+/.test(page.url())) await setSlider(slider, forkedAt);
        await expect(page).toHaveURL(/[?&]at=\d+/, { timeout: 3_000 });
      }).toPass({ timeout: 30_000 });
      await expect(page.getByTestId('time-slider-value')).toContainText('as of');
      await expect(graph).toHaveAttribute('data-tip-branches', '2', { timeout: 30_000 });
      await expect(graph.getByTestId('fork-tip')).toHaveCount(4);
      await expect.poll(async () => split(await tipLanes(graph))).toBe(wantSplit);
      await expect(graph.locator(`[data-testid="fork-block"][data-fork-point][data-height="${forkPoint}"]`)).toHaveCount(1);
      await expect(strip).toHaveAttribute('data-mode', 'past');
      await expect(strip.locator('[data-testid="fork-fault"][data-kind="partition"]')).toHaveCount(1);
      await shot(page, testInfo.outputPath('forks-3-time-travel.png'));

      // The moment is in the URL: a reload (or a shared link) opens the same view.
      await expect(page).toHaveURL(/\/forks\?at=\d+$/);
      await page.reload();
      await expect(page.getByTestId('time-slider-value')).toContainText('as of');
      await expect(graph).toHaveAttribute('data-tip-branches', '2');
      await expect.poll(async () => split(await tipLanes(graph))).toBe(wantSplit);
      await page.getByTestId('go-live').click();
      await expect(graph).toHaveAttribute('data-tip-branches', '1');
      await expect(page).toHaveURL(/\/forks$/);

      // A node of the losing group lists its reorg on its page, from the server's reorg list.
      let loser: NodeJson | undefined;
      await expect
        .poll(
          async () => {
            for (const n of nodes) {
              const detail = (await (await request.get(`/api/nodes/${n.id}`)).json()) as { reorgs: Array<{ depth: number; at: number }> };
              if (detail.reorgs.some((r) => r.depth >= 3 && r.at >= forkedAt)) loser = n;
            }
            return loser?.name ?? 'none';
          },
          { timeout: 30_000 },
        )
        .not.toBe('none');
      await page.goto(`/nodes/${loser!.id}`);
      const reorgRow = page.getByTestId('node-reorgs').getByTestId('reorg-row').first();
      await expect(reorgRow).toBeVisible();
      expect(Number(await reorgRow.getAttribute('data-depth'))).toBeGreaterThanOrEqual(3);
      await shot(page, testInfo.outputPath('node-reorgs.png'));

      // The overview's feed still shows the convergence behind all the new heads since.
      await page.goto('/');
      await expect(page.getByTestId('event-feed').locator('[data-testid="feed-line"][data-kind="convergence"]').first()).toBeVisible();
    } finally {
      if (!healed) await heal(request);
    }
  });
});
