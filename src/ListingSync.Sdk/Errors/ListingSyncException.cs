namespace ListingSync.Sdk;

/// <summary>The base of every exception the SDK throws on purpose.</summary>
public class ListingSyncException : Exception
{
    /// <summary>Creates an exception.</summary>
    public ListingSyncException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public ListingSyncException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public ListingSyncException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
