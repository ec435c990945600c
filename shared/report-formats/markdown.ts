/** The Markdown format: the report as shared/present/report-markdown.ts renders it for people and the CLI. */
import { renderMarkdownReport } from '../present/report-markdown.js';
import type { ReportRenderer } from './formats.js';

/** The Markdown format. */
export const markdownRenderer: ReportRenderer = {
  label: 'Markdown',
  extension: 'md',
  mediaType: 'text/markdown',
  render: (report) => {
    const text = renderMarkdownReport(report);
    return text.endsWith('\n') ? text : `${text}\n`;
  },
};
