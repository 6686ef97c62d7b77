using System.Globalization;
using System.Text;

namespace DefiCascade.Reports.Html;

/// <summary>
/// A CSV file read back for the report: a header and rows of text cells (RFC 4180 quoting, as
/// <see cref="CsvReports"/> writes it). Cells are looked up by column name.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string name, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        Name = name;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i], i);
        }
    }

    /// <summary>The file name, for messages.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public bool Has(string column) => _columns.ContainsKey(column);

    public int Column(string column) =>
        _columns.TryGetValue(column, out var index)
            ? index
            : throw new ReportInputException($"{Name} has no column '{column}'");

    /// <summary>The cell as a number; null when the cell is empty or not a number.</summary>
    public static double? Number(string[] row, int column) =>
        column < row.Length && double.TryParse(row[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    public static CsvTable Parse(string name, string text)
    {
        var records = Records(text).Where(r => r.Length > 1 || r[0].Length > 0).ToList();
        if (records.Count == 0)
        {
            throw new ReportInputException($"{name} is empty (no header line)");
        }

        return new CsvTable(name, records[0], records.Skip(1).ToList());
    }

    private static IEnumerable<string[]> Records(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return fields.ToArray();
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString().TrimEnd('\r'));
            yield return fields.ToArray();
        }
    }
}
