using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DefiCascade.Adapters.AaveV3;
using DefiCascade.Chain.Testing;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Benchmarks.ReadBorrowers;

/// <summary>
/// Reading the positions of 10,000 Aave accounts (<see cref="AaveCrowdSpec.Benchmark"/>) from anvil at one pinned block
/// with <see cref="AaveV3Reader.ReadPositionsAsync"/>, through three callers: Multicall3 aggregate3 (default chunking),
/// JSON-RPC batches of 100 eth_calls, and the one-call-per-read reference (a batch of one: an HTTP round trip per
/// eth_call). Every operation builds a fresh caller, so Multicall3's one eth_getCode probe is in every operation and the
/// round trips per operation are the same each time (checked in <see cref="Cleanup"/>).
/// Every result is compared with a reference read in <see cref="SetupAsync"/> that Multicall3 and the JSON-RPC batches
/// must agree on; any difference throws and fails the run.
/// </summary>
[Config(typeof(ReadBorrowersConfig))]
public class ReadBorrowersBenchmark
{
    private readonly List<RpcCounts> _perOperation = [];
    private AnvilNode? _node;
    private HttpRpcTransport? _http;
    private RequestCountingTransport _requests = null!;
    private CountingRpcTransport _roundTrips = null!;
    private JsonRpcClient _rpc = null!;
    private ReadCountingCaller? _lastCaller;
    private AaveV3MarketRead _market = null!;
    private Address[] _users = [];
    private ulong _block;
    private AaveV3PositionsRead _reference = null!;
    private AaveV3PositionsRead? _last;
    private RpcCounts _before;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var clock = Stopwatch.StartNew();
        var crowd = await AaveCrowd.GetAsync(AaveCrowdSpec.Benchmark).ConfigureAwait(false);
        var built = clock.Elapsed;
        _node = await AaveCrowd.StartNodeAsync(crowd).ConfigureAwait(false);
        _block = await Multicall3Deployment.PlaceAsync(_node.Eth).ConfigureAwait(false);

        // the transport is ours, not the node's, so only the benchmarked reads are counted.
        _http = new HttpRpcTransport(_node.Url, TimeSpan.FromMinutes(2));
        _requests = new RequestCountingTransport(_http);
        _roundTrips = new CountingRpcTransport(_requests);
        _rpc = new JsonRpcClient(_roundTrips);

        var accounts = await _node.Eth.GetAccountsAsync().ConfigureAwait(false);
        var aave = AaveWorld.Attach(_node.Eth, accounts[0], accounts[1], crowd.Aave);
        var provider = (Address)(await aave.Pool.CallAtAsync(BlockParameter.At(_block), "ADDRESSES_PROVIDER").ConfigureAwait(false))[0];
        _market = await new AaveV3Reader(new Multicall3Caller(_rpc)).ReadMarketAsync(provider, _block).ConfigureAwait(false);
        // crowds over 5,000 accounts keep no log history to discover users from: the plan lists them.
        _users = crowd.Users.Select(u => u.Address).ToArray();

        _reference = await ReadWithAsync(new Multicall3Caller(_rpc)).ConfigureAwait(false);
        var batched = await ReadWithAsync(new RpcBatchCaller(_rpc, 100)).ConfigureAwait(false);
        Verify("JSON-RPC batches of 100 against Multicall3", batched);
        if (_reference.Users.Count != crowd.Users.Count || _reference.WithDebt.Count != crowd.Borrowers)
        {
            throw new InvalidOperationException(
                $"read {_reference.Users.Count} accounts, {_reference.WithDebt.Count} with debt; the crowd has {crowd.Users.Count}, {crowd.Borrowers} borrowers");
        }

        Console.WriteLine(
            $"// crowd of {crowd.Users.Count:N0} accounts ({crowd.Borrowers:N0} borrowers) ready in {built.TotalSeconds:0.0} s; "
            + $"anvil {_node.Url}, block {_block}, {_market.Reserves.Count} reserves; Multicall3 and batches of 100 agree");
    }

    [IterationSetup]
    public void BeforeOperation()
    {
        _last = null;
        // each operation counts its reads on a caller of its own: none yet.
        _lastCaller = null;
        _before = Counts();
    }

    [Benchmark(Description = "Multicall3 aggregate3 (400 reads each, 8 per batch)")]
    public Task<AaveV3PositionsRead> Multicall3() => ReadWithAsync(new Multicall3Caller(_rpc));

    [Benchmark(Description = "JSON-RPC batches of 100 eth_calls")]
    public Task<AaveV3PositionsRead> RpcBatch100() => ReadWithAsync(new RpcBatchCaller(_rpc, 100));

    [Benchmark(Baseline = true, Description = "one eth_call per round trip (reference)")]
    public Task<AaveV3PositionsRead> OneCallPerRead() => ReadWithAsync(new RpcBatchCaller(_rpc, 1));

    [IterationCleanup]
    public void AfterOperation()
    {
        _perOperation.Add(Counts() - _before);
        Verify("this operation against the reference", _last ?? throw new InvalidOperationException("the operation stored no result"));
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        try
        {
            var distinct = _perOperation.Distinct().ToArray();
            if (distinct.Length != 1)
            {
                // a count that moves between operations is not a property of the reader: report it, never average it.
                throw new InvalidOperationException($"RPC counts differ between operations: {string.Join("; ", _perOperation)}");
            }

            Console.WriteLine($"// {_perOperation.Count} operations, each verified against the reference");
            Console.WriteLine(RpcCountsColumn.Line(distinct[0]));
        }
        finally
        {
            if (_node is not null)
            {
                await _node.DisposeAsync().ConfigureAwait(false);
            }

            _http?.Dispose();
        }
    }

    private async Task<AaveV3PositionsRead> ReadWithAsync(IBatchCaller caller)
    {
        _lastCaller = new ReadCountingCaller(caller);
        _last = await new AaveV3Reader(_lastCaller).ReadPositionsAsync(_market, _users, _block).ConfigureAwait(false);
        return _last;
    }

    private RpcCounts Counts() => new(_roundTrips.RoundTrips, _requests.Requests, _lastCaller?.Reads ?? 0);

    private void Verify(string what, AaveV3PositionsRead read)
    {
        if (PositionsComparison.FirstDifference(_reference, read) is { } difference)
        {
            throw new InvalidOperationException($"{what}: positions differ at block {_block}: {difference}");
        }
    }
}
