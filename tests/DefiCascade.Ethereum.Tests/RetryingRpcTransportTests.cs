using System.Text.Json;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Ethereum.Tests;

public class RetryingRpcTransportTests
{
    private static readonly RpcRetryPolicy Policy = new() { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(2), MaxTotalRetries = 50, Seed = 42 };

    public static TheoryData<string> TransientFailures => new()
    {
        "http429", "http503", "http408", "timeout", "refused", "not-json", "truncated", "wrong-id", "rate-limit-429", "rate-limit-32005", "rate-limit-message", "number",
    };

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task Each_transient_failure_is_retried_to_the_right_answer(string failure)
    {
        var script = new ScriptedFailures(failure, failures: 2);
        var waits = new List<TimeSpan>();
        var retrying = new RetryingRpcTransport(script, Policy, (d, _) => { waits.Add(d); return Task.CompletedTask; });

        var result = await new JsonRpcClient(retrying).CallAsync("eth_blockNumber");

        Assert.Equal("0x2a", result.GetString());
        Assert.Equal(3, script.Attempts);
        Assert.Equal(2, retrying.Retries);
        Assert.Equal(2, waits.Count);
        Assert.Equal(2, retrying.FailuresByKind.Values.Sum());
    }

    [Fact]
    public async Task A_batch_with_a_missing_or_duplicated_id_is_asked_again()
    {
        var calls = 0;
        var inner = new FuncTransport(request =>
        {
            calls++;
            using var doc = JsonDocument.Parse(request);
            var ids = doc.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToArray();
            var answered = calls switch
            {
                1 => ids[..^1], // one missing
                2 => [.. ids, ids[0]], // one twice
                _ => ids,
            };
            return "[" + string.Join(",", answered.Select(id => $$"""{"jsonrpc":"2.0","id":{{id}},"result":"0x{{id:x}}"}""")) + "]";
        });
        var retrying = new RetryingRpcTransport(inner, Policy, (_, _) => Task.CompletedTask);

        var results = await new JsonRpcClient(retrying).CallBatchAsync([new RpcRequest("a"), new RpcRequest("b"), new RpcRequest("c")]);

        Assert.Equal(["0x1", "0x2", "0x3"], results.Select(r => r.GetString()));
        Assert.Equal(3, calls);
        Assert.Equal(2, retrying.FailuresByKind[RpcFailureKind.MalformedResponse]);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Final_http_statuses_fail_at_once(int status)
    {
        var script = new ScriptedFailures("http" + status, failures: 100);
        var retrying = new RetryingRpcTransport(script, Policy, (_, _) => Task.CompletedTask);
        var e = await Assert.ThrowsAsync<RpcTransportException>(() => new JsonRpcClient(retrying).CallAsync("eth_call"));
        Assert.Equal(status, e.HttpStatus);
        Assert.False(e.IsTransient);
        Assert.Equal(1, script.Attempts);
        Assert.Equal(0, retrying.Retries);
    }

    [Fact]
    public async Task Node_errors_that_are_not_rate_limits_are_answers_not_retries()
    {
        var script = new ScriptedFailures("revert", failures: 100);
        var retrying = new RetryingRpcTransport(script, Policy, (_, _) => Task.CompletedTask);
        var e = await Assert.ThrowsAsync<JsonRpcException>(() => new JsonRpcClient(retrying).CallAsync("eth_call"));
        Assert.Equal(3, e.Code);
        Assert.Equal(1, script.Attempts);
    }

    [Fact]
    public async Task Running_out_of_attempts_names_method_attempts_last_failure_and_budget()
    {
        var script = new ScriptedFailures("http429", failures: 100);
        var retrying = new RetryingRpcTransport(script, Policy with { MaxAttempts = 8, MaxTotalRetries = 200 }, (_, _) => Task.CompletedTask);
        var e = await Assert.ThrowsAsync<RpcRetryExhaustedException>(() => new JsonRpcClient(retrying).CallAsync("eth_call"));
        Assert.StartsWith("gave up on eth_call after 8 attempts (last failure: HTTP 429 Too Many Requests); retry budget 200 used 7, waited ", e.Message, StringComparison.Ordinal);
        Assert.Equal(8, script.Attempts);
        Assert.Equal(RpcFailureKind.HttpStatus, e.LastFailure);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task The_budget_is_shared_by_all_requests_of_the_transport()
    {
        var script = new ScriptedFailures("timeout", failures: 3);
        var retrying = new RetryingRpcTransport(script, Policy with { MaxTotalRetries = 4 }, (_, _) => Task.CompletedTask);
        var client = new JsonRpcClient(retrying);
        await client.CallAsync("eth_blockNumber"); // 3 retries

        script.Reset(failures: 3);
        var e = await Assert.ThrowsAsync<RpcRetryExhaustedException>(() => client.CallBatchAsync([new RpcRequest("eth_getCode"), new RpcRequest("eth_call")]));
        Assert.StartsWith("gave up on a batch of 2 (eth_getCode, eth_call) after 2 attempts: the retry budget is used up (last failure: no answer within 30 s); retry budget 4 used 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jitter_stays_within_the_exponential_cap_and_repeats_with_the_seed()
    {
        async Task<List<TimeSpan>> Waits()
        {
            var waits = new List<TimeSpan>();
            var script = new ScriptedFailures("http503", failures: 9);
            var retrying = new RetryingRpcTransport(script, Policy with { MaxAttempts = 10 }, (d, _) => { waits.Add(d); return Task.CompletedTask; });
            await new JsonRpcClient(retrying).CallAsync("eth_blockNumber");
            return waits;
        }

        var first = await Waits();
        Assert.Equal(9, first.Count);
        double[] caps = [100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000];
        for (var i = 0; i < first.Count; i++)
        {
            Assert.InRange(first[i].TotalMilliseconds, 0, caps[i]);
        }

        Assert.True(first.Distinct().Count() > 5); // drawn, not a constant
        Assert.Equal(first, await Waits());
    }

    [Fact]
    public async Task The_total_wait_is_capped_too()
    {
        var script = new ScriptedFailures("http503", failures: 100);
        var policy = Policy with { MaxAttempts = 100, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), MaxTotalDelay = TimeSpan.FromSeconds(3) };
        var retrying = new RetryingRpcTransport(script, policy, (_, _) => Task.CompletedTask);
        var e = await Assert.ThrowsAsync<RpcRetryExhaustedException>(() => new JsonRpcClient(retrying).CallAsync("eth_call"));
        Assert.Contains("the next wait would pass the total of 3 s", e.Message, StringComparison.Ordinal);
        Assert.InRange(retrying.Waited.TotalSeconds, 2, 3); // 1 s caps: at least 2 retries fit whatever the draws
    }

    /// <summary>Fails the first <c>failures</c> attempts in the named way, then answers result 0x2a.</summary>
    private sealed class ScriptedFailures(string kind, int failures) : IRpcTransport
    {
        private int _left = failures;

        public int Attempts { get; private set; }

        public void Reset(int failures)
        {
            _left = failures;
            Attempts = 0;
        }

        public Task<string> SendAsync(string requestJson, CancellationToken ct)
        {
            Attempts++;
            using var doc = JsonDocument.Parse(requestJson);
            var id = doc.RootElement.ValueKind == JsonValueKind.Array ? "0" : doc.RootElement.GetProperty("id").GetRawText();
            if (_left-- <= 0)
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Array)
                {
                    return Task.FromResult("[" + string.Join(",", doc.RootElement.EnumerateArray().Select(r => $$"""{"jsonrpc":"2.0","id":{{r.GetProperty("id").GetRawText()}},"result":"0x2a"}""")) + "]");
                }

                return Task.FromResult($$"""{"jsonrpc":"2.0","id":{{id}},"result":"0x2a"}""");
            }

            if (kind.StartsWith("http", StringComparison.Ordinal))
            {
                var status = int.Parse(kind[4..], System.Globalization.CultureInfo.InvariantCulture);
                var phrase = status switch { 429 => "Too Many Requests", 503 => "Service Unavailable", 408 => "Request Timeout", _ => "Client Error" };
                throw new RpcTransportException($"RPC endpoint https://x/*** answered HTTP {status} {phrase}", RpcFailureKind.HttpStatus, $"HTTP {status} {phrase}", status);
            }

            return kind switch
            {
                "timeout" => throw new RpcTransportException("timeout", RpcFailureKind.Timeout, "no answer within 30 s"),
                "refused" => throw new RpcTransportException("refused", RpcFailureKind.ConnectionFailed, "connection refused"),
                "not-json" => Task.FromResult("<html>502 Bad Gateway</html>"),
                "truncated" => Task.FromResult($$"""{"jsonrpc":"2.0","id":{{id}},"resu"""),
                "wrong-id" => Task.FromResult("""{"jsonrpc":"2.0","id":999,"result":"0x1"}"""),
                "number" => Task.FromResult("42"),
                "rate-limit-429" => Task.FromResult($$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":429,"message":"Your app has exceeded its compute units per second capacity"}}"""),
                "rate-limit-32005" => Task.FromResult($$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":-32005,"message":"project ID request rate exceeded"}}"""),
                "rate-limit-message" => Task.FromResult("""{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Too Many Requests"}}"""),
                "revert" => Task.FromResult($$$"""{"jsonrpc":"2.0","id":{{{id}}},"error":{"code":3,"message":"execution reverted","data":"0x"}}"""),
                _ => throw new ArgumentException(kind),
            };
        }
    }

    private sealed class FuncTransport(Func<string, string> answer) : IRpcTransport
    {
        public Task<string> SendAsync(string requestJson, CancellationToken ct) => Task.FromResult(answer(requestJson));
    }
}
