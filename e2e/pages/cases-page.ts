/** Page object for the case switcher in the nav and the Cases view, by data-testid only. */
import { expect, type Locator, type Page } from '@playwright/test';

/** The Cases view and the open case's name above the nav. */
export class CasesPage {
  constructor(private readonly page: Page) {}

  /** The open case's name at the top of the nav. */
  openCaseName(): Locator {
    return this.page.getByTestId('open-case-name');
  }

  async show(): Promise<void> {
    await this.page.getByTestId('case-switcher').click();
    await expect(this.page.getByTestId('view-cases')).toBeVisible();
  }

  /** A case's row in the list of cases in use. */
  row(name: string): Locator {
    return this.page.locator(`[data-testid="case-row"][data-case-name="${name}"]`);
  }

  /** Creates a case and waits until it is the open one. */
  async create(name: string): Promise<void> {
    await this.show();
    await this.page.getByTestId('case-new-name').fill(name);
    await this.page.getByTestId('case-create').click();
    await expect(this.openCaseName()).toHaveText(name);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.show();
    await this.row(from).getByTestId('case-rename').click();
    await this.row(from).getByTestId('case-rename-input').fill(to);
    await this.row(from).getByTestId('case-rename-save').click();
    await expect(this.row(to)).toBeVisible();
  }

  /** Opens a case from the list and waits until it is the open one. */
  async open(name: string): Promise<void> {
    await this.show();
    await this.row(name).getByTestId('case-open').click();
    await expect(this.openCaseName()).toHaveText(name);
    await expect(this.row(name)).toHaveAttribute('data-open', 'true');
  }
}
