using System.Globalization;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// A list of users given by hand instead of discovered from logs: one 0x address per line; '#' starts a comment;
/// blank lines are skipped. Errors name the file and the line. The result is sorted and without duplicates, the
/// same order discovery gives.
/// </summary>
public static class UsersFile
{
    public static IReadOnlyList<Address> Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var users = new HashSet<Address>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var content = (hash >= 0 ? line[..hash] : line).Trim();
            if (content.Length == 0)
            {
                continue;
            }

            if (!Address.TryParse(content, out var user))
            {
                var lineNumber = (i + 1).ToString(CultureInfo.InvariantCulture);
                throw new FormatException($"{fileName}:{lineNumber}: '{content}' is not a 0x-prefixed 20-byte hex address (one address per line, '#' starts a comment)");
            }

            users.Add(user);
        }

        return Sorted(users);
    }

    /// <summary>Ascending by address (hex, lower case): the deterministic order of every user list in this namespace.</summary>
    public static IReadOnlyList<Address> Sorted(IEnumerable<Address> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        return users.Distinct().OrderBy(u => u.Hex, StringComparer.Ordinal).ToArray();
    }
}
