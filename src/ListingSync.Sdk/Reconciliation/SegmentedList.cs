namespace ListingSync.Sdk.Reconciliation;

/// <summary>
/// An append-only list in fixed segments of 16,384 items: growing it never copies what it holds or allocates twice its
/// size, as a <see cref="List{T}"/> does when it doubles. A plan of a million listings keeps several such lists; their
/// doublings were large-object allocations that brought full collections of a heap full of listings. A segment of
/// references is 128 KB, a large object itself: allocated where the collector never copies it (at 8,192 items, 64 KB
/// segments were copied, with the listings they point at, by every young-generation collection).
/// </summary>
internal sealed class SegmentedList<T>
{
    private const int Shift = 14;
    private const int SegmentSize = 1 << Shift;
    private const int Mask = SegmentSize - 1;
    private readonly List<T[]> _segments = [];

    public int Count { get; private set; }

    /// <summary>The item at <paramref name="index"/>, by reference (so a struct item can be changed in place).</summary>
    public ref T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return ref _segments[index >> Shift][index & Mask];
        }
    }

    public void Add(T item)
    {
        if (Count >> Shift == _segments.Count)
        {
            _segments.Add(new T[SegmentSize]);
        }

        _segments[Count >> Shift][Count & Mask] = item;
        Count++;
    }
}
