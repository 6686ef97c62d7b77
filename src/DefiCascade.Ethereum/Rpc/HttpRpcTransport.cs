using System.Net.Http.Headers;
using System.Text;

namespace DefiCascade.Ethereum.Rpc;

/// <summary>JSON-RPC over HTTP POST with a per-request timeout.</summary>
public sealed class HttpRpcTransport : IRpcTransport, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _redacted;

    public HttpRpcTransport(Uri url, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _url = url;
        _redacted = RpcUrl.Redact(url);
        _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public async Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        using var content = new StringContent(requestJson, Encoding.UTF8);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await _http.PostAsync(_url, content, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new RpcTransportException($"RPC endpoint {_redacted} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return body;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RpcTransportException($"RPC endpoint {_redacted} did not answer within {_http.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            // A new exception without the inner one: the inner message is not ours to vouch for (it may quote the URL).
            throw new RpcTransportException($"RPC endpoint {_redacted} unreachable: {Sanitize(e.Message)}");
        }
    }

    public void Dispose() => _http.Dispose();

    public override string ToString() => _redacted;

    private string Sanitize(string message)
    {
        var text = message.Replace(_url.OriginalString, _redacted, StringComparison.OrdinalIgnoreCase);
        var secret = _url.PathAndQuery;
        return secret.Length > 1 ? text.Replace(secret, "/***", StringComparison.Ordinal) : text;
    }
}
