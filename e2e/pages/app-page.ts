/** Page objects for the five views and the incident summary above them, by data-testid only. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The Hosts view: pick hosts, scan, watch progress. */
export class HostsPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-hosts').click();
    await expect(this.page.getByTestId('view-hosts')).toBeVisible();
  }

  async pick(names: readonly string[]): Promise<void> {
    for (const name of names) await this.page.getByTestId(`host-check-${name}`).check();
  }

  async scan(): Promise<void> {
    await this.page.getByTestId('scan-button').click();
  }

  /** The phase a host's progress cell shows. */
  progress(name: string): Locator {
    return this.page.getByTestId(`host-progress-${name}`);
  }

  /** Waits until every named host has finished, successfully or not. */
  async waitUntilFinished(names: readonly string[]): Promise<void> {
    for (const name of names) await expect(this.progress(name)).toHaveAttribute('data-phase', /^(done|failed)$/, { timeout: 90_000 });
  }
}

/** The incident summary band above every view. */
export class SummaryBand {
  constructor(private readonly page: Page) {}

  /** The number one tile (or one part of its breakdown) shows: `compromised`, `keys`, `keys-critical`, `consumers`… */
  number(id: string): Locator {
    return this.page.getByTestId(`summary-${id}`);
  }

  /** Opens the view that lists what a tile counts. */
  async open(tile: 'compromised' | 'reached' | 'keys' | 'gateways' | 'unread'): Promise<void> {
    await this.page.getByTestId(`summary-tile-${tile}`).click();
  }

  /** A host's verdict badge in the Hosts view. */
  verdict(host: string): Locator {
    return this.page.getByTestId(`host-verdict-${host}`);
  }
}

/** The Inventory view. */
export class InventoryPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-inventory').click();
    await expect(this.page.getByTestId('view-inventory')).toBeVisible();
  }

  status(host: string): Locator {
    return this.page.getByTestId(`host-status-${host}`);
  }

  container(host: string, name: string): Locator {
    return this.page.getByTestId(`container-row-${host}-${name}`);
  }

  /** Opens a container's detail row and returns it. */
  async openContainer(host: string, name: string): Promise<Locator> {
    await this.page.getByTestId(`container-toggle-${host}-${name}`).click();
    const details = this.page.getByTestId(`container-details-${host}-${name}`);
    await expect(details).toBeVisible();
    return details;
  }
}

/** The Findings view: every finding, filters, and the compromise-window timeline. */
export class FindingsPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-findings').click();
    await expect(this.page.getByTestId('view-findings')).toBeVisible();
  }

  /** The row of one finding, by its id. */
  finding(id: string): Locator {
    return this.page.getByTestId(`finding-row-${id}`);
  }

  /** Rows whose finding id starts with `prefix` (ids are stable, so a prefix names a host and kind). */
  findingsStartingWith(prefix: string): Locator {
    return this.page.locator(`[data-testid^="finding-row-${prefix}"]`);
  }

  /** Every listed finding row. */
  rows(): Locator {
    return this.page.locator('[data-testid^="finding-row-"]');
  }

  async filter(field: 'host' | 'severity' | 'kind', value: string): Promise<void> {
    await this.page.getByTestId(`filter-${field}`).selectOption(value);
  }

  /** Opens a finding's evidence and returns it. */
  async openEvidence(id: string): Promise<Locator> {
    await this.page.getByTestId(`finding-toggle-${id}`).click();
    const evidence = this.page.getByTestId(`finding-evidence-${id}`);
    await expect(evidence).toBeVisible();
    return evidence;
  }

  timeline(): Locator {
    return this.page.getByTestId('timeline-chart');
  }

  /** Unfolds the compromise-window timeline below the table (it starts folded). */
  async openTimeline(): Promise<void> {
    const toggle = this.page.getByTestId('timeline-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  }

  /** Types into the free-text search above the table. */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('findings-search').fill(text);
  }

  /** One compromise window's part of the timeline, with its editor. */
  window(id: string): Locator {
    return this.page.getByTestId(`timeline-window-${id}`);
  }

  /** Types a window's start and end (UTC, `YYYY-MM-DDTHH:MM`) and applies them. */
  async setWindow(id: string, start: string, end: string): Promise<void> {
    await this.page.getByTestId(`window-start-${id}`).fill(start);
    await this.page.getByTestId(`window-end-${id}`).fill(end);
    await this.page.getByTestId(`window-save-${id}`).click();
  }

  /** Puts a window back to the known one. */
  async resetWindow(id: string): Promise<void> {
    await this.page.getByTestId(`window-reset-${id}`).click();
  }
}

/** The Blast radius view. */
export class GraphPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-graph').click();
    await expect(this.page.getByTestId('graph-canvas')).toHaveAttribute('data-layout-ready', 'true');
  }

  node(kind: string, label: string): Locator {
    return this.page.getByTestId(`graph-node-${kind}-${label}`);
  }

  async openEvidence(kind: string, label: string): Promise<Locator> {
    const node = this.node(kind, label);
    // The graph re-fits when the evidence panel opens or closes: a click aimed while it pans can
    // land on whatever moved under the pointer, so click until this node is the selected one.
    await expect(async () => {
      await node.click();
      await expect(node).toHaveClass(/\bselected\b/, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const panel = this.page.getByTestId('evidence-panel');
    await expect(panel).toBeVisible();
    return panel;
  }
}

/** The Checklist view. */
export class ChecklistPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-checklist').click();
    await expect(this.page.getByTestId('view-checklist')).toBeVisible();
  }

  /** The first step whose title contains `text`. */
  step(text: string | RegExp): Locator {
    return this.page.locator('[data-testid^="step-row-"]').filter({ hasText: text }).first();
  }

  checkbox(step: Locator): Locator {
    return step.locator('[data-testid^="step-check-"]');
  }

  note(step: Locator): Locator {
    return step.locator('[data-testid^="step-note-"]');
  }
}

export class JournalPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-journal').click();
    await expect(this.page.getByTestId('view-journal')).toBeVisible();
  }

  /** Every entry the timeline lists, oldest first. */
  entries(): Locator {
    return this.page.getByTestId('journal-entry');
  }

  /** The kinds of the entries listed, oldest first. */
  async kinds(): Promise<string[]> {
    return this.entries().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind') ?? ''));
  }

  /** One phase's burndown chart and its figures. */
  burndown(phase: string): Locator {
    return this.page.getByTestId(`journal-burndown-${phase}`);
  }
}
