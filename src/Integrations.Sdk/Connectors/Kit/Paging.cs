using System.Runtime.CompilerServices;

namespace Integrations.Sdk.Connectors.Kit;

/// <summary>One page of a platform's list answer, as a paging helper needs it.</summary>
/// <typeparam name="T">The item's type.</typeparam>
/// <param name="Items">The page's items (<see langword="null"/> is read as none).</param>
/// <param name="Next">
/// Where the next page starts: a cursor (<c>after</c>, <c>starting_after</c>, GraphQL <c>endCursor</c>) or the next
/// page's URL; <see langword="null"/> on the last page.
/// </param>
public readonly record struct Page<T>(IReadOnlyList<T?>? Items, string? Next);

/// <summary>
/// Paging loops for connector authors, each returning an <see cref="IAsyncEnumerable{T}"/> that fetches the next page
/// only when the caller gets there. Every helper refuses an answer that would loop forever or hides a hole (a null
/// item, a cursor that does not move, a "has more" without a way to continue) with a
/// <see cref="PlatformException"/> <c>invalid_response</c>.
/// </summary>
public static class Paging
{
    /// <summary>
    /// Cursor paging (HubSpot <c>after</c>, Stripe <c>starting_after</c>, a GraphQL connection's <c>endCursor</c>,
    /// Salesforce <c>nextRecordsUrl</c>, Slack <c>next_cursor</c>): fetches the first page with no cursor, then each
    /// next page with the cursor the previous one gave, until a page gives none.
    /// </summary>
    /// <typeparam name="T">The item's type.</typeparam>
    /// <param name="connector">The connector's name, for errors.</param>
    /// <param name="fetch">Fetches the page that starts at a cursor (<see langword="null"/>: the first page).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async IAsyncEnumerable<T> ByCursorAsync<T>(
        string connector, Func<string?, CancellationToken, Task<Page<T>>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(fetch);
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await fetch(cursor, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                yield return item ?? throw InvalidPage(connector, "a page holds a null item");
            }

            if (page.Next is not null && page.Next == cursor)
            {
                throw InvalidPage(connector, $"the next-page cursor '{Shorten(page.Next)}' is the one just read, so paging would never end");
            }

            cursor = page.Next;
        }
        while (cursor is not null);
    }

    /// <summary>
    /// Offset paging (QuickBooks <c>STARTPOSITION</c>/<c>MAXRESULTS</c>, 1-based; WooCommerce <c>page</c>/<c>per_page</c>
    /// with page numbers): fetches pages of <paramref name="pageSize"/> items from <paramref name="first"/>, advancing
    /// by the page size (or by one for page numbers), until a page holds fewer items than asked for.
    /// </summary>
    /// <typeparam name="T">The item's type.</typeparam>
    /// <param name="connector">The connector's name, for errors.</param>
    /// <param name="pageSize">How many items a page holds at most.</param>
    /// <param name="fetch">Fetches the page at a position, asking for <paramref name="pageSize"/> items.</param>
    /// <param name="first">The first position: 1 for QuickBooks' start position and for page numbers, 0 for offsets.</param>
    /// <param name="pageNumbers">Whether the position counts pages (advance by one) rather than items (advance by the page size).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async IAsyncEnumerable<T> ByOffsetAsync<T>(
        string connector,
        int pageSize,
        Func<int, CancellationToken, Task<IReadOnlyList<T?>?>> fetch,
        int first = 0,
        bool pageNumbers = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentNullException.ThrowIfNull(fetch);
        var position = first;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var items = await fetch(position, cancellationToken).ConfigureAwait(false) ?? [];
            if (items.Count > pageSize)
            {
                throw InvalidPage(connector, $"a page holds {items.Count} items where at most {pageSize} were asked for");
            }

            foreach (var item in items)
            {
                yield return item ?? throw InvalidPage(connector, "a page holds a null item");
            }

            if (items.Count < pageSize)
            {
                yield break;
            }

            position += pageNumbers ? 1 : pageSize;
        }
    }

    /// <summary>Pairs each item with its checkpoint, for an <see cref="IRecordSource{T}"/>.</summary>
    /// <typeparam name="T">The item's type.</typeparam>
    /// <param name="items">The items, in the order their checkpoints advance.</param>
    /// <param name="checkpoint">The checkpoint after an item; <see langword="null"/> keeps none for it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async IAsyncEnumerable<SourceRecord<T>> WithCheckpointsAsync<T>(
        this IAsyncEnumerable<T> items, Func<T, string?> checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(checkpoint);
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new SourceRecord<T>(item, checkpoint(item));
        }
    }

    private static PlatformException InvalidPage(string connector, string message) => PlatformException.InvalidResponse(connector, message);

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
