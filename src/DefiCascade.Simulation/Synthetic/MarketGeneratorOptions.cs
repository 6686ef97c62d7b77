namespace DefiCascade.Simulation.Synthetic;

/// <summary>Inputs of <see cref="DefaultMarketGenerator"/>; the defaults produce fixtures/default-market.json.</summary>
/// <param name="Positions">Number of Aave accounts, including the five named whales.</param>
/// <param name="Seed">Seed of the one <see cref="System.Random"/> every draw comes from.</param>
/// <param name="LpPositionsPerPool">Uniswap V3 LP positions summed into each pool's tick book.</param>
public sealed record MarketGeneratorOptions(int Positions = 20_000, int Seed = 20260322, int LpPositionsPerPool = 400)
{
    public const int DefaultSeed = 20260322;
}
