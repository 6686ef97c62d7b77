namespace DefiCascade.Reports.Html;

/// <summary>A run folder the report cannot be built from: a missing or malformed file, named in the message.</summary>
public sealed class ReportInputException(string message, Exception? inner = null) : Exception(message, inner);
