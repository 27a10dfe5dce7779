/**
 * Reading the console in the browser test: a KPI card's number, a table's rows, a chart's
 * state in ECharts, an API's answer in the signed-in session, and waiting for a page's load.
 */
import type { Page } from 'playwright-core'
import type { Pipeline } from '../../src/queries/pipeline-page.ts'

/** The number a KPI card shows (digits only; the page groups thousands by locale). */
export async function kpi(page: Page, key: string): Promise<number> {
  const text = (await page.locator(`.kpi[data-kpi="${key}"] .value`).textContent()) ?? ''
  return Number(text.replace(/[^\d.-]/g, ''))
}

/** Waits for the page's next completed load after `act`. */
export async function loaded(page: Page, act: () => Promise<unknown>): Promise<void> {
  const before = Number((await page.locator('body').getAttribute('data-loaded')) ?? 0)
  await act()
  // The page may be between documents (a sign-in navigates): no body yet.
  await page.waitForFunction((n) => Number(document.body?.dataset.loaded ?? 0) > n, before)
}

/** Whether an ECharts chart was drawn into the element (an instance with an option). */
export function chartDrawn(page: Page, id: string): Promise<boolean> {
  return page.evaluate((el) => {
    const chart = (
      globalThis as unknown as {
        echarts: { getInstanceByDom(e: Element): { getOption(): unknown } | undefined }
      }
    ).echarts.getInstanceByDom(document.getElementById(el) as Element)
    return chart?.getOption() !== undefined
  }, id)
}

/** The series an ECharts chart holds (0 when it was never drawn). */
export function chartSeries(page: Page, id: string): Promise<number> {
  return page.evaluate((el) => {
    const chart = (
      globalThis as unknown as {
        echarts: { getInstanceByDom(e: Element): { getOption(): { series: unknown[] } } | undefined }
      }
    ).echarts.getInstanceByDom(document.getElementById(el) as Element)
    return chart?.getOption().series.length ?? 0
  }, id)
}

/** A table's body rows, each as its cells' text by column (`td[data-column]`). */
export function tableRows(page: Page, selector: string): Promise<Array<Record<string, string>>> {
  return page
    .locator(`${selector} tbody tr`)
    .evaluateAll((rows) =>
      rows.map((r) =>
        Object.fromEntries(
          [...r.querySelectorAll('td[data-column]')].map((td) => [
            (td as HTMLElement).dataset.column ?? '',
            td.textContent ?? '',
          ]),
        ),
      ),
    )
}

/** The Pipeline API's answer in the page's signed-in session. */
export function pipelineApi(page: Page, hours = 6): Promise<Pipeline> {
  return page.evaluate(
    async (h) => (await (await fetch(`/api/pipeline?hours=${h}`)).json()) as Pipeline,
    hours,
  )
}
