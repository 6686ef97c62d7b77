using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Artifacts;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Testing;

/// <summary>A Uniswap V3 pool deployed from the npm artifacts, with the trader that owns its positions and swaps in it.</summary>
public sealed record V3Pool(Contract Pool, Contract Token0, Contract Token1, int Fee, int TickSpacing, Address Trader);

/// <summary>What the pool says after a swap: slot0 price and tick, and the active liquidity.</summary>
public readonly record struct V3Slot(BigInteger SqrtPriceX96, int Tick, BigInteger Liquidity);

/// <summary>Where the V3 base infrastructure lives in the once-per-run world (<see cref="ChainWorld"/>); fee tier 100 is enabled.</summary>
public sealed record V3WorldAddresses(Address Factory, Address Weth, Address PositionManager, Address Router);

/// <summary>
/// Deploys Uniswap V3 (v3-core 1.0.1 factory, v3-periphery 1.4.4 NonfungiblePositionManager and SwapRouter, Aave's
/// WETH9 and MintableERC20) on an anvil, the way CHAIN.md describes. Liquidity goes in through the position
/// manager's mint, swaps through the router's exactInputSingle / exactOutputSingle.
/// </summary>
public sealed class V3World
{
    /// <summary>Fixed gas limits skip eth_estimateGas. A swap crossing a hundred cold ticks costs a few million.</summary>
    public const ulong Gas = 400_000;
    public const ulong MintGas = 1_500_000;
    public const ulong SwapGas = 20_000_000;

    public static readonly IReadOnlyDictionary<int, int> Spacings = new Dictionary<int, int> { [100] = 1, [500] = 10, [3000] = 60, [10000] = 200 };

    private static readonly BigInteger MaxUint = (BigInteger.One << 256) - 1;
    private static readonly BigInteger Deadline = BigInteger.One << 40;

    private static readonly Lazy<ContractArtifact> Erc20 = new(() => Load("@aave/core-v3/artifacts/contracts/mocks/tokens/MintableERC20.sol/MintableERC20.json"));
    private static readonly Lazy<ContractArtifact> Weth9 = new(() => Load("@aave/core-v3/artifacts/contracts/dependencies/weth/WETH9.sol/WETH9.json"));
    private static readonly Lazy<ContractArtifact> Factory = new(() => Load("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"));
    private static readonly Lazy<ContractArtifact> PoolArtifact = new(() => Load("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json"));
    private static readonly Lazy<ContractArtifact> Npm = new(() => Load("@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json"));
    private static readonly Lazy<ContractArtifact> Router = new(() => Load("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json"));

    private readonly EthClient _eth;
    private readonly Address _deployer;
    private readonly Contract _factory;
    private readonly Contract _positions;
    private readonly Contract _router;
    private readonly Address _weth;
    private int _tokens;

    private V3World(EthClient eth, Address deployer, Contract factory, Address weth, Contract positions, Contract router)
    {
        _eth = eth;
        _deployer = deployer;
        _factory = factory;
        _weth = weth;
        _positions = positions;
        _router = router;
    }

    public V3WorldAddresses Addresses => new(_factory.Address, _weth, _positions.Address, _router.Address);

    /// <summary>The factory, WETH9, position manager and router already deployed at <paramref name="addresses"/> on this node.</summary>
    public static V3World Attach(EthClient eth, Address deployer, V3WorldAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new V3World(
            eth,
            deployer,
            new Contract(eth, Factory.Value.Name, Factory.Value.Abi, addresses.Factory),
            addresses.Weth,
            new Contract(eth, Npm.Value.Name, Npm.Value.Abi, addresses.PositionManager),
            new Contract(eth, Router.Value.Name, Router.Value.Abi, addresses.Router));
    }

    public static async Task<V3World> DeployAsync(EthClient eth, Address deployer)
    {
        var factory = await Contract.DeployAsync(eth, Factory.Value, deployer);
        await factory.SendAsync(deployer, "enableFeeAmount", 100, 1);
        var weth = await Contract.DeployAsync(eth, Weth9.Value, deployer);
        var positions = await Contract.DeployAsync(eth, Npm.Value, deployer, factory.Address, weth.Address, Address.Zero);
        var router = await Contract.DeployAsync(eth, Router.Value, deployer, factory.Address, weth.Address);
        return new V3World(eth, deployer, factory, weth.Address, positions, router);
    }

    /// <summary>
    /// Two fresh tokens with <paramref name="mintToTrader"/> of each minted to the trader, their pool at
    /// <paramref name="fee"/> initialized at <paramref name="sqrtPriceX96"/>; the trader approves the position
    /// manager and the router for everything (the trader's own nonce: pools of different traders can go on in parallel).
    /// </summary>
    public async Task<V3Pool> CreatePoolAsync(Address trader, int fee, BigInteger sqrtPriceX96, BigInteger mintToTrader)
    {
        var a = await NewTokenAsync();
        var b = await NewTokenAsync();
        await a.SendAsync(_deployer, "mint(address,uint256)", trader, mintToTrader);
        await b.SendAsync(_deployer, "mint(address,uint256)", trader, mintToTrader);
        return await CreatePoolForTokensAsync(trader, a, b, fee, sqrtPriceX96);
    }

    /// <summary>
    /// A pool of two existing tokens (e.g. the Aave market's, so a snapshot's pools trade its reserves), initialized
    /// at <paramref name="sqrtPriceX96"/> (token1 per token0 in base units, token0 the lower address); the trader
    /// must hold both and approves the position manager and the router for everything.
    /// </summary>
    public async Task<V3Pool> CreatePoolForTokensAsync(Address trader, Contract tokenA, Contract tokenB, int fee, BigInteger sqrtPriceX96)
    {
        ArgumentNullException.ThrowIfNull(tokenA);
        ArgumentNullException.ThrowIfNull(tokenB);
        await _factory.SendAsync(_deployer, "createPool", tokenA.Address, tokenB.Address, fee);
        var address = (Address)(await _factory.CallAsync("getPool", tokenA.Address, tokenB.Address, fee))[0];
        var pool = new Contract(_eth, "UniswapV3Pool", PoolArtifact.Value.Abi, address);
        await pool.SendWithGasAsync(_deployer, Gas, "initialize", sqrtPriceX96);
        var token0 = (Address)(await pool.CallAsync("token0"))[0];
        var (t0, t1) = token0 == tokenA.Address ? (tokenA, tokenB) : (tokenB, tokenA);
        foreach (var token in (Contract[])[t0, t1])
        {
            await token.SendWithGasAsync(trader, Gas, "approve", _positions.Address, MaxUint);
            await token.SendWithGasAsync(trader, Gas, "approve", _router.Address, MaxUint);
        }

        return new V3Pool(pool, t0, t1, fee, Spacings[fee], trader);
    }

    /// <summary>NonfungiblePositionManager.mint of a position with these desired amounts (no slippage minimum).</summary>
    public Task MintAsync(V3Pool p, int tickLower, int tickUpper, BigInteger amount0, BigInteger amount1) =>
        _positions.SendWithGasAsync(p.Trader, MintGas, "mint", (object)new object[]
        {
            p.Token0.Address, p.Token1.Address, p.Fee, tickLower, tickUpper, amount0, amount1,
            BigInteger.Zero, BigInteger.Zero, p.Trader, Deadline,
        });

    /// <summary>
    /// SwapRouter.exactInputSingle / exactOutputSingle; a null limit is the router's 0 (MIN_SQRT_RATIO + 1 or
    /// MAX_SQRT_RATIO - 1). Exact output allows any input; exact input takes any output. <paramref name="gas"/>
    /// defaults to <see cref="SwapGas"/>; a walk through thousands of empty bitmap words needs more.
    /// </summary>
    public Task SwapAsync(V3Pool p, bool zeroForOne, bool exactInput, BigInteger amount, BigInteger? limit, ulong gas = SwapGas)
    {
        var (tokenIn, tokenOut) = zeroForOne ? (p.Token0.Address, p.Token1.Address) : (p.Token1.Address, p.Token0.Address);
        var other = exactInput ? BigInteger.Zero : MaxUint;
        var args = new object[] { tokenIn, tokenOut, p.Fee, p.Trader, Deadline, amount, other, limit ?? BigInteger.Zero };
        return _router.SendWithGasAsync(p.Trader, gas, exactInput ? "exactInputSingle" : "exactOutputSingle", (object)args);
    }

    public static async Task<V3Slot> SlotAsync(V3Pool p)
    {
        var slot0 = await p.Pool.CallAsync("slot0");
        var liquidity = await p.Pool.CallUIntAsync("liquidity");
        return new V3Slot((BigInteger)slot0[0], (int)(BigInteger)slot0[1], liquidity);
    }

    /// <summary>The pool's ticks(t) for each candidate tick: liquidityNet and liquidityGross (0 = not initialized).</summary>
    public static async Task<IReadOnlyList<TickSnapshot>> TicksAsync(V3Pool p, IEnumerable<int> candidates)
    {
        var ticks = new List<TickSnapshot>();
        foreach (var t in candidates.Distinct().Order())
        {
            var r = await p.Pool.CallAsync("ticks", t);
            if (!((BigInteger)r[0]).IsZero)
            {
                ticks.Add(new TickSnapshot(t, (BigInteger)r[1], (BigInteger)r[0]));
            }
        }

        return ticks;
    }

    public static async Task<(BigInteger Balance0, BigInteger Balance1)> TraderBalancesAsync(V3Pool p) =>
        (await p.Token0.CallUIntAsync("balanceOf", p.Trader), await p.Token1.CallUIntAsync("balanceOf", p.Trader));

    private static ContractArtifact Load(string path) => ContractArtifact.Load(ChainPaths.Artifact(path));

    private async Task<Contract> NewTokenAsync()
    {
        var n = Interlocked.Increment(ref _tokens);
        return await Contract.DeployAsync(_eth, Erc20.Value, _deployer, $"V3 Token {n}", $"V{n}", (byte)18);
    }
}
