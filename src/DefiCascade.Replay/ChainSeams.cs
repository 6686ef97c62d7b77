using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Replay;

/// <summary>
/// How a replay moves an Aave oracle's price on chain. On the harness the mock aggregators' answers are set; on a fork the
/// oracle's sources are pointed at settable aggregators through the impersonated admin. Every implementation says what it
/// did to the chain in <see cref="Disclosures"/>, which the replay prints.
/// </summary>
public interface IOracleDriver
{
    /// <summary>One-time set-up before the first block (deploy or point sources); <paramref name="assets"/> are the reserves' underlyings.</summary>
    Task PrepareAsync(IReadOnlyList<Address> assets, CancellationToken ct = default);

    /// <summary>Makes the oracle answer <paramref name="answer"/> (the feed's decimals, as the oracle reads it) for <paramref name="asset"/>.</summary>
    Task SetAnswerAsync(Address asset, BigInteger answer, CancellationToken ct = default);

    /// <summary>Plain sentences naming every change this driver made to the chain beyond normal transactions.</summary>
    IReadOnlyList<string> Disclosures { get; }
}

/// <summary>
/// Flash-loan style funding: gives an actor <paramref name="amount"/> of a token out of thin air before it acts (mint on a
/// mintable test token, or a balance written with anvil cheat methods). Disclosed like the oracle driver.
/// </summary>
public interface IFunding
{
    Task FundAsync(Address token, Address to, BigInteger amount, CancellationToken ct = default);

    IReadOnlyList<string> Disclosures { get; }
}
