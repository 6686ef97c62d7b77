using Microsoft.Playwright;

namespace DefiCascade.Report.BrowserTests;

/// <summary>
/// A page in Debian's headless Chromium, driven by Playwright, with everything the page said or
/// asked for recorded: console errors, uncaught page errors, and the URL of every request.
/// </summary>
public sealed class ChromiumPage : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium tries Google's hosts at every start, and this
    // machine's closed network refuses them (machines/dotnet.md).
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly string _profile;

    private ChromiumPage(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => PageErrors.Add(error);
        page.Request += (_, request) => Requests.Add(request.Url);
    }

    public IPage Page { get; }

    public List<string> ConsoleErrors { get; } = [];

    public List<string> PageErrors { get; } = [];

    public List<string> Requests { get; } = [];

    /// <summary>Starts Chromium with a fresh profile folder; a missing browser fails the test (never a skip).</summary>
    public static async Task<ChromiumPage> StartAsync()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"{ChromiumPath} is missing: the build of DefiCascade.Report.BrowserTests installs Debian's chromium (apt-get install -y chromium); build it again or install it by hand.");
        var profile = Path.Combine(Path.GetTempPath(), "defi-cascade-chromium-" + Guid.NewGuid().ToString("N"));
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Flags,
            ViewportSize = new ViewportSize { Width = 1200, Height = 900 },
        });
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new ChromiumPage(playwright, context, page, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be releasing its profile; a leftover temp folder is harmless.
        }
    }
}
