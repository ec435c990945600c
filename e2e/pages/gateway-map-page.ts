/** Page object for the gateway map view, by data-testid and the data attributes of its rows. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The gateway map: one card per gateway, its consumers, the gateway, its backends. */
export class GatewayMapPage {
  constructor(private readonly page: Page) {}

  async show(): Promise<void> {
    await this.page.getByTestId('nav-gateways').click();
    await expect(this.page.getByTestId('view-gateways')).toBeVisible();
  }

  /** The card of the gateway with this finding id. */
  map(gatewayId: string): Locator {
    return this.page.locator(`[data-testid="gwmap"][data-gateway="${gatewayId}"]`);
  }

  /** Every consumer row of a map. */
  consumers(map: Locator): Locator {
    return map.getByTestId('gwmap-consumer');
  }

  /** The consumer rows of a map matching data attributes (`name`, `host`, `kind`, `edge`). */
  consumer(map: Locator, attributes: Partial<Record<'name' | 'host' | 'kind' | 'edge', string>>): Locator {
    const selector = Object.entries(attributes)
      .map(([key, value]) => `[data-${key}="${value}"]`)
      .join('');
    return map.locator(`[data-testid="gwmap-consumer"]${selector}`);
  }
}
