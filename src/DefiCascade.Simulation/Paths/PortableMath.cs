namespace DefiCascade.Simulation.Paths;

/// <summary>
/// exp and ln built from + − × ÷ only. IEEE 754 rounds those identically on every platform,
/// while Math.Exp and Math.Log come from the platform's C library and may differ in the last
/// bit; one bit is enough to move a seeded path's wad rounding, so a seeded path would differ
/// between machines. Accuracy is a few ulps, far below what a price path needs.
/// </summary>
public static class PortableMath
{
    // ln 2 split in two (Cody and Waite; fdlibm's constants): the high part ends in 21 zero bits, so
    // k x Ln2Hi is exact for every k a double's exponent can need and range reduction loses nothing.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.4142135623730951;

    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x > 709)
        {
            return double.PositiveInfinity;
        }

        if (x < -745)
        {
            return 0;
        }

        // x = k ln2 + r with |r| <= ln2 / 2; the Taylor series of e^r to r^20 / 20! is exact to double precision there.
        var k = System.Math.Round(x / (Ln2Hi + Ln2Lo));
        var r = (x - (k * Ln2Hi)) - (k * Ln2Lo);
        var term = 1.0;
        var sum = 1.0;
        for (var n = 1; n <= 20; n++)
        {
            term *= r / n;
            sum += term;
        }

        return System.Math.ScaleB(sum, (int)k);
    }

    public static double Log(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "ln is defined here for finite positive numbers only");
        }

        // x = m 2^e with m in [sqrt(1/2), sqrt 2]; ln m = 2 atanh(y), y = (m - 1) / (m + 1), |y| <= 0.172.
        var e = System.Math.ILogB(x);
        var m = System.Math.ScaleB(x, -e);
        if (m > Sqrt2)
        {
            m /= 2;
            e++;
        }

        var y = (m - 1) / (m + 1);
        var y2 = y * y;
        var power = y;
        var sum = y;
        for (var n = 3; n <= 41; n += 2)
        {
            power *= y2;
            sum += power / n;
        }

        return (e * Ln2Hi) + ((e * Ln2Lo) + (2 * sum));
    }
}
