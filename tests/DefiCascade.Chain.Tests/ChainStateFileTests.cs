using System.Numerics;
using DefiCascade.Chain.Testing;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Chain.Tests;

/// <summary>
/// The world is deployed once and every test can start a fresh anvil from its saved state:
/// contracts, storage and balances come back exactly, and two nodes started from the same file
/// do not see each other's transactions.
/// </summary>
public sealed class ChainStateFileTests
{
    [Fact]
    public async Task Saved_world_reloads_into_independent_fresh_nodes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"defi-cascade-world-{Guid.NewGuid():N}.json");
        try
        {
            var e18 = BigInteger.Pow(10, 18);
            V2Pair pair;
            (BigInteger, BigInteger) reserves;
            await using (var origin = await AnvilNode.StartAsync())
            {
                var accounts = await origin.Eth.GetAccountsAsync();
                var world = await V2World.DeployAsync(origin.Eth, accounts[0]);
                pair = await world.CreatePairAsync(accounts[1], BigInteger.Pow(10, 30));
                await V2World.AddLiquidityAsync(pair, 1000 * e18, 2000 * e18);
                reserves = await V2World.ReservesAsync(pair);
                await ChainStateFile.SaveAsync(origin, path);
            }

            await using var first = await ChainStateFile.StartFromAsync(path);
            await using var second = await ChainStateFile.StartFromAsync(path);
            var onFirst = pair with { Pair = On(pair.Pair, first), Token0 = On(pair.Token0, first), Token1 = On(pair.Token1, first) };
            var onSecond = pair with { Pair = On(pair.Pair, second) };

            Assert.Equal(reserves, await V2World.ReservesAsync(onFirst));
            Assert.Equal(reserves, await V2World.ReservesAsync(onSecond));

            // Trade on the first node only: the second keeps the saved reserves.
            await V2World.AddLiquidityAsync(onFirst, e18, 2 * e18);
            Assert.Equal((reserves.Item1 + e18, reserves.Item2 + 2 * e18), await V2World.ReservesAsync(onFirst));
            Assert.Equal(reserves, await V2World.ReservesAsync(onSecond));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Contract On(Contract contract, AnvilNode node) => new(node.Eth, contract.Name, contract.Abi, contract.Address);
}
