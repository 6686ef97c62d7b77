using DefiCascade.Adapters.AaveV3;

namespace DefiCascade.Benchmarks.ReadBorrowers;

/// <summary>
/// Compares two position reads field by field. The records hold lists, whose record equality is by reference, so
/// <c>==</c> would call two identical reads different.
/// </summary>
internal static class PositionsComparison
{
    /// <summary>The first difference, or null when <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public static string? FirstDifference(AaveV3PositionsRead expected, AaveV3PositionsRead actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Block != actual.Block)
        {
            return $"block {actual.Block}, expected {expected.Block}";
        }

        if (expected.Users.Count != actual.Users.Count)
        {
            return $"{actual.Users.Count} users, expected {expected.Users.Count}";
        }

        if (!expected.ExtraEModes.SequenceEqual(actual.ExtraEModes))
        {
            return $"extra e-modes [{string.Join(", ", actual.ExtraEModes)}], expected [{string.Join(", ", expected.ExtraEModes)}]";
        }

        for (var i = 0; i < expected.Users.Count; i++)
        {
            if (UserDifference(expected.Users[i], actual.Users[i]) is { } difference)
            {
                return $"user #{i} {expected.Users[i].User}: {difference}";
            }
        }

        return null;
    }

    private static string? UserDifference(AaveV3UserRead e, AaveV3UserRead a)
    {
        if (e.User != a.User)
        {
            return $"read as {a.User}";
        }

        if (e.EMode != a.EMode || e.Configuration != a.Configuration)
        {
            return $"e-mode {a.EMode} configuration {a.Configuration.Data}, expected e-mode {e.EMode} configuration {e.Configuration.Data}";
        }

        if (e.AccountData != a.AccountData)
        {
            return $"account data {a.AccountData}, expected {e.AccountData}";
        }

        if (e.Reserves.Count != a.Reserves.Count)
        {
            return $"{a.Reserves.Count} reserves, expected {e.Reserves.Count}";
        }

        for (var r = 0; r < e.Reserves.Count; r++)
        {
            if (e.Reserves[r] != a.Reserves[r])
            {
                return $"reserve {a.Reserves[r]}, expected {e.Reserves[r]}";
            }
        }

        return null;
    }
}
