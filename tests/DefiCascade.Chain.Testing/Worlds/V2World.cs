using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Testing;

/// <summary>A Uniswap V2 pair deployed from the npm artifacts, with the trader that funds it.</summary>
public sealed record V2Pair(Contract Pair, Contract Token0, Contract Token1, Address Trader);

/// <summary>Where the V2 base infrastructure lives in the once-per-run world (<see cref="ChainWorld"/>).</summary>
public sealed record V2WorldAddresses(Address Factory);

/// <summary>Deploys Uniswap V2 (v2-core 1.0.1 build) and Aave's MintableERC20 tokens on an anvil, the way CHAIN.md describes.</summary>
public sealed class V2World
{
    /// <summary>Plenty for a transfer, mint or swap of these contracts; a fixed limit skips eth_estimateGas in hot loops.</summary>
    public const ulong Gas = 400_000;

    private static readonly Lazy<ContractArtifact> Erc20 = new(() =>
        ContractArtifact.Load(ChainPaths.Artifact("@aave/core-v3/artifacts/contracts/mocks/tokens/MintableERC20.sol/MintableERC20.json")));

    private static readonly Lazy<ContractArtifact> Factory = new(() =>
        ContractArtifact.Load(ChainPaths.Artifact("@uniswap/v2-core/build/UniswapV2Factory.json")));

    private static readonly Lazy<ContractArtifact> PairArtifact = new(() =>
        ContractArtifact.Load(ChainPaths.Artifact("@uniswap/v2-core/build/UniswapV2Pair.json")));

    private readonly EthClient _eth;
    private readonly Address _deployer;
    private readonly Contract _factory;
    private int _tokens;

    private V2World(EthClient eth, Address deployer, Contract factory)
    {
        _eth = eth;
        _deployer = deployer;
        _factory = factory;
    }

    public V2WorldAddresses Addresses => new(_factory.Address);

    public static async Task<V2World> DeployAsync(EthClient eth, Address deployer)
    {
        var factory = await Contract.DeployAsync(eth, Factory.Value, deployer, deployer);
        return new V2World(eth, deployer, factory);
    }

    /// <summary>The factory already deployed at <paramref name="addresses"/> on this node (a node started from the world's state).</summary>
    public static V2World Attach(EthClient eth, Address deployer, V2WorldAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new V2World(eth, deployer, new Contract(eth, Factory.Value.Name, Factory.Value.Abi, addresses.Factory));
    }

    /// <summary>Two fresh tokens, their pair, and <paramref name="mintToTrader"/> of each minted to the trader.</summary>
    public async Task<V2Pair> CreatePairAsync(Address trader, BigInteger mintToTrader)
    {
        var a = await NewTokenAsync();
        var b = await NewTokenAsync();
        await a.SendAsync(_deployer, "mint(address,uint256)", trader, mintToTrader);
        await b.SendAsync(_deployer, "mint(address,uint256)", trader, mintToTrader);
        await _factory.SendAsync(_deployer, "createPair", a.Address, b.Address);
        var pairAddress = (Address)(await _factory.CallAsync("getPair", a.Address, b.Address))[0];
        var pair = new Contract(_eth, "UniswapV2Pair", PairArtifact.Value.Abi, pairAddress);
        var token0 = (Address)(await pair.CallAsync("token0"))[0];
        return token0 == a.Address ? new V2Pair(pair, a, b, trader) : new V2Pair(pair, b, a, trader);
    }

    /// <summary>The pair of two existing tokens (created if needed) for a trader who holds both.</summary>
    public async Task<V2Pair> CreatePairForTokensAsync(Address trader, Contract tokenA, Contract tokenB)
    {
        ArgumentNullException.ThrowIfNull(tokenA);
        ArgumentNullException.ThrowIfNull(tokenB);
        await _factory.SendAsync(_deployer, "createPair", tokenA.Address, tokenB.Address);
        var pairAddress = (Address)(await _factory.CallAsync("getPair", tokenA.Address, tokenB.Address))[0];
        var pair = new Contract(_eth, "UniswapV2Pair", PairArtifact.Value.Abi, pairAddress);
        var token0 = (Address)(await pair.CallAsync("token0"))[0];
        return token0 == tokenA.Address ? new V2Pair(pair, tokenA, tokenB, trader) : new V2Pair(pair, tokenB, tokenA, trader);
    }

    /// <summary>Adds liquidity the way the router does underneath: transfer both tokens in, then mint.</summary>
    public static async Task AddLiquidityAsync(V2Pair p, BigInteger amount0, BigInteger amount1)
    {
        await p.Token0.SendWithGasAsync(p.Trader, Gas, "transfer", p.Pair.Address, amount0);
        await p.Token1.SendWithGasAsync(p.Trader, Gas, "transfer", p.Pair.Address, amount1);
        await p.Pair.SendWithGasAsync(p.Trader, Gas, "mint", p.Trader);
    }

    public static async Task<(BigInteger Reserve0, BigInteger Reserve1)> ReservesAsync(V2Pair p)
    {
        var r = await p.Pair.CallAsync("getReserves");
        return ((BigInteger)r[0], (BigInteger)r[1]);
    }

    private async Task<Contract> NewTokenAsync()
    {
        var n = Interlocked.Increment(ref _tokens);
        return await Contract.DeployAsync(_eth, Erc20.Value, _deployer, $"Token {n}", $"T{n}", (byte)18);
    }
}
