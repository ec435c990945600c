/** The export buttons under the nav: the case's report in each format, rendered by the main process and saved as a file. */
import { EXPORT_FORMATS, exportFormatInfo, type ExportFormat } from '../../shared/report-formats/index.js';
import { useCommands } from '../app/commands-context.js';
import { useReport } from '../store/hooks.js';

/** One button per report format; nothing until the case has a report. */
export function ExportReport() {
  return useReport() ? <ExportButtons /> : null;
}

function ExportButtons() {
  const commands = useCommands();
  return (
    <section className="nav-export" aria-label="Export the report" data-testid="export-report">
      <p className="nav-export-title">Export report</p>
      <div className="nav-export-buttons">
        {EXPORT_FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className="nav-export-button"
            data-testid={`export-${format}`}
            title={`Save the report as ${exportFormatInfo(format).label} (.${exportFormatInfo(format).extension})`}
            onClick={() => void commands.exportReport(format)}
          >
            {SHORT_LABELS[format]}
          </button>
        ))}
      </div>
    </section>
  );
}

/** Labels short enough for two buttons a row in the nav. */
const SHORT_LABELS = { json: 'JSON', jsonl: 'JSON lines', markdown: 'Markdown', html: 'HTML', cyclonedx: 'CycloneDX', sarif: 'SARIF', pdf: 'PDF' } as const satisfies Record<
  ExportFormat,
  string
>;
