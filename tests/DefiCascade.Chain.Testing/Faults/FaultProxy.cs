using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DefiCascade.Chain.Testing.Faults;

/// <summary>
/// A JSON-RPC proxy in front of a node (anvil) that fails on purpose, as hosted providers do: HTTP 429 and 5xx, answers
/// held past the client's timeout, cut-off or mis-addressed JSON, dropped connections, and eth_getLogs range refusals,
/// according to a seeded <see cref="FaultPlan"/>. Kestrel on 127.0.0.1 and a free port, no logging. Its URL carries a
/// fake key as a path segment (http://127.0.0.1:PORT/v2/KEY), like a provider URL, so tests can check the key never
/// shows up in what the client reports; other paths get 404.
/// </summary>
public sealed partial class FaultProxy : IAsyncDisposable
{
    /// <summary>The fake key in every proxy's URL unless another is given.</summary>
    public const string DefaultSecret = "fAkEkEy0123456789SECRET";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(120) };
    private readonly Uri _upstreamUrl;
    private readonly string _path;
    private readonly CancellationTokenSource _stopping = new();
    private readonly long[] _injected = new long[Enum.GetValues<FaultKind>().Length];
    private readonly Lock _gate = new();
    private FaultPlan _plan = FaultPlan.None;
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private long _sincePlan;
    private long _requests;
    private long _forwarded;

    private FaultProxy(WebApplication app, Uri upstream, string path)
    {
        _app = app;
        _upstreamUrl = upstream;
        _path = path;
    }

    /// <summary>The proxy's URL, secret path included: give it to the client under test.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The active plan; setting one starts its faults afresh (occurrences forgotten; counters keep counting).</summary>
    public FaultPlan Plan
    {
        get
        {
            lock (_gate)
            {
                return _plan;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate)
            {
                _plan = value;
                _seen.Clear();
                _sincePlan = 0;
            }
        }
    }

    /// <summary>HTTP requests received on the secret path (a batch is one).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests (or the unrefused part of a batch) passed on to the node.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>How many times each fault was injected; a refused eth_getLogs counts once per refused call.</summary>
    public IReadOnlyDictionary<FaultKind, long> Injected =>
        Enum.GetValues<FaultKind>().ToDictionary(k => k, k => Interlocked.Read(ref _injected[(int)k]));

    public long Count(FaultKind kind) => Interlocked.Read(ref _injected[(int)kind]);

    /// <summary>Starts a proxy to <paramref name="upstream"/>; the URL's path is /v2/<paramref name="secret"/>.</summary>
    public static async Task<FaultProxy> StartAsync(Uri upstream, FaultPlan? plan = null, string secret = DefaultSecret, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstream, "/v2/" + secret) { Plan = plan ?? FaultPlan.None };
        app.Run(proxy.HandleAsync);
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.Url = new Uri(new Uri(bound), proxy._path);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        // held Timeout answers end first, or StopAsync would wait for them.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// The fault for one request, decided by the plan's seed, the request's content (ids removed) and how often that
    /// content came before: a client's silent resend (HttpClient does this on a dropped pooled connection) or a retry
    /// draws anew, but never shifts what any other request gets. Same seed, same requests: same faults.
    /// </summary>
    private FaultKind? Draw(string request)
    {
        var key = IdField().Replace(request, string.Empty);
        int occurrence;
        FaultPlan plan;
        lock (_gate)
        {
            plan = _plan;
            if (_sincePlan++ < plan.AfterRequests)
            {
                return null;
            }

            occurrence = _seen.TryGetValue(key, out var n) ? n + 1 : 1;
            _seen[key] = occurrence;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{plan.Seed}|{occurrence}|{key}"));
        var roll = (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) * (1.0 / (1UL << 53));
        var edge = 0.0;
        foreach (var (kind, p) in plan.Probabilities.OrderBy(e => e.Key))
        {
            edge += p;
            if (roll < edge)
            {
                return kind;
            }
        }

        return null;
    }

    [GeneratedRegex("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+|null)")]
    private static partial Regex IdField();

    private void Counted(FaultKind kind, long times = 1) => Interlocked.Add(ref _injected[(int)kind], times);

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != _path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        Interlocked.Increment(ref _requests);
        string request;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            request = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var plan = Plan;
        var fault = Draw(request);
        switch (fault)
        {
            case FaultKind.TooManyRequests:
                Counted(FaultKind.TooManyRequests);
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(plan.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, StatusCodes.Status429TooManyRequests, """{"jsonrpc":"2.0","id":null,"error":{"code":429,"message":"Too Many Requests"}}""").ConfigureAwait(false);
                return;
            case FaultKind.InternalServerError or FaultKind.BadGateway or FaultKind.ServiceUnavailable:
                Counted(fault.Value);
                var status = fault switch
                {
                    FaultKind.InternalServerError => StatusCodes.Status500InternalServerError,
                    FaultKind.BadGateway => StatusCodes.Status502BadGateway,
                    _ => StatusCodes.Status503ServiceUnavailable,
                };
                await WriteAsync(context, status, $"<html><body>{status} from the fault proxy</body></html>", "text/html").ConfigureAwait(false);
                return;
            case FaultKind.DroppedConnection:
                Counted(FaultKind.DroppedConnection);
                context.Abort();
                return;
        }

        var (status2, body) = await AnswerAsync(request, plan, context.RequestAborted).ConfigureAwait(false);
        switch (fault)
        {
            case FaultKind.Timeout:
                Counted(FaultKind.Timeout);
                using (var hold = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(plan.TimeoutHold, hold.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // the client gave up (the point of this fault) or the proxy is stopping.
                    }
                }

                context.Abort();
                return;
            case FaultKind.TruncatedJson:
                Counted(FaultKind.TruncatedJson);
                body = body[..(body.Length / 2)];
                break;
            case FaultKind.WrongId:
                Counted(FaultKind.WrongId);
                body = ShiftIds(body);
                break;
        }

        await WriteAsync(context, status2, body).ConfigureAwait(false);
    }

    /// <summary>The node's answer, with the eth_getLogs range rule applied first.</summary>
    private async Task<(int Status, string Body)> AnswerAsync(string request, FaultPlan plan, CancellationToken ct)
    {
        NoteMethods(request);
        if (plan.RefusedMethodPrefixes.Count > 0 && await RefuseMethodsAsync(request, plan.RefusedMethodPrefixes, ct).ConfigureAwait(false) is { } missing)
        {
            return missing;
        }

        if (plan.MaxLogBlockRange is { } limit && await RefuseWideLogsAsync(request, limit, plan.LogRangeError, ct).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return await ForwardAsync(request, ct).ConfigureAwait(false);
    }

    private async Task<(int Status, string Body)> ForwardAsync(string request, CancellationToken ct)
    {
        Interlocked.Increment(ref _forwarded);
        using var content = new StringContent(request, Encoding.UTF8);
        content.Headers.ContentType = Json;
        using var response = await _upstream.PostAsync(_upstreamUrl, content, ct).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    private static async Task WriteAsync(HttpContext context, int status, string body, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Every numeric id moved by a million: an answer to requests nobody sent. Non-JSON passes unchanged.</summary>
    private static string ShiftIds(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }

        var items = root is JsonArray array ? array.OfType<JsonObject>() : root is JsonObject single ? [single] : [];
        foreach (var item in items)
        {
            if (item["id"] is JsonValue id && id.TryGetValue(out long n))
            {
                item["id"] = n + 1_000_000;
            }
        }

        return root?.ToJsonString() ?? body;
    }
}
