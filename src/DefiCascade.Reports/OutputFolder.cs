using System.Text;

namespace DefiCascade.Reports;

/// <summary>
/// Writes a run's files so that a reader never sees a half-written set: every file goes to a
/// temporary name in the target folder first, and only when all are complete are they renamed
/// into place. On failure the temporaries are removed, and a folder this call created is removed.
/// </summary>
public static class OutputFolder
{
    /// <summary>Writes the files; returns the names that replaced files from an earlier run.</summary>
    public static IReadOnlyList<string> WriteAll(string directory, IReadOnlyList<(string Name, string Content)> files)
    {
        if (File.Exists(directory))
        {
            throw new IOException($"--out '{directory}' is a file, not a folder; refusing to touch it");
        }

        var created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        var temps = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (name, content) in files)
            {
                var final = Path.Combine(directory, name);
                var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
                temps.Add((temp, final));
                File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }

            var replaced = temps.Where(t => File.Exists(t.Final)).Select(t => Path.GetFileName(t.Final)).ToList();
            foreach (var (temp, final) in temps)
            {
                File.Move(temp, final, overwrite: true);
            }

            return replaced;
        }
        catch
        {
            foreach (var (temp, _) in temps)
            {
                // Only temporaries that were actually created; a failed one may not even have a folder.
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }

            if (created && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }

            throw;
        }
    }
}
