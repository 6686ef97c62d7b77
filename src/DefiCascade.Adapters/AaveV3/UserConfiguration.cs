using System.Numerics;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// Pool.getUserConfiguration(user).data (UserConfiguration.sol of Aave V3.0.x): for the reserve with id i, bit 2i is
/// "borrowing" and bit 2i+1 "using as collateral". Ids are getReserveData(asset).id, not positions in
/// getReservesList: the list skips dropped reserves, the bitmap does not.
/// </summary>
public readonly record struct UserConfiguration(BigInteger Data)
{
    /// <summary>ReserveConfiguration.MAX_RESERVES_COUNT: 128 reserves, two bits each.</summary>
    public const int MaxReserves = 128;

    public bool IsEmpty => Data.IsZero;

    public bool IsBorrowing(int reserveId) => Bit(2 * Check(reserveId));

    public bool IsUsingAsCollateral(int reserveId) => Bit((2 * Check(reserveId)) + 1);

    public bool IsUsingAsCollateralOrBorrowing(int reserveId) => IsBorrowing(reserveId) || IsUsingAsCollateral(reserveId);

    /// <summary>The reserve ids with either bit set, ascending.</summary>
    public IReadOnlyList<int> TouchedReserveIds()
    {
        var ids = new List<int>();
        for (var id = 0; id < MaxReserves && !(Data >> (2 * id)).IsZero; id++)
        {
            if (IsUsingAsCollateralOrBorrowing(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private bool Bit(int bit) => !((Data >> bit) & BigInteger.One).IsZero;

    private static int Check(int reserveId) =>
        reserveId is >= 0 and < MaxReserves ? reserveId : throw new ArgumentOutOfRangeException(nameof(reserveId), reserveId, $"reserve ids run from 0 to {MaxReserves - 1}");
}
