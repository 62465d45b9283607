using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace Pipeline.SearchStore.Lucene;

/// <summary>
/// Field instances reused from one document to the next, as Lucene's indexing-speed advice has it: a field made anew
/// for every document also makes its token stream and that stream's attributes anew (for a keyword or numeric field,
/// most of the cost of indexing it). One instance per indexing thread; the fields it hands out for a document stay
/// valid until <see cref="Reset"/>, i.e. until the document has been given to the IndexWriter.
/// </summary>
public sealed class ReusableFields
{
    readonly Dictionary<(FieldKind Kind, string Name), Slot> _slots = [];

    enum FieldKind
    {
        Keyword,
        StoredKeyword,
        Text,
        Stored,
        SortedDocValues,
        SortedSetDocValues,
        Int64,
        Int64DocValues,
        StoredInt64,
        StoredOnlyInt64,
        Double,
    }

    /// <summary>Starts a new document: every field may be handed out again.</summary>
    public void Reset()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Used = 0;
        }
    }

    /// <summary>A field indexed as one exact term, not stored.</summary>
    public Field Keyword(string name, string value) =>
        Next(FieldKind.Keyword, name, () => new StringField(name, value, Field.Store.NO), f => f.SetStringValue(value));

    /// <summary>A field indexed as one exact term and stored.</summary>
    public Field StoredKeyword(string name, string value) =>
        Next(FieldKind.StoredKeyword, name, () => new StringField(name, value, Field.Store.YES), f => f.SetStringValue(value));

    /// <summary>A field analysed as text, not stored.</summary>
    public Field Text(string name, string value) =>
        Next(FieldKind.Text, name, () => new TextField(name, value, Field.Store.NO), f => f.SetStringValue(value));

    /// <summary>A stored-only field.</summary>
    public Field Stored(string name, string value) =>
        Next(FieldKind.Stored, name, () => new StoredField(name, value), f => f.SetStringValue(value));

    public Field SortedDocValues(string name, string value) =>
        Next(FieldKind.SortedDocValues, name, () => new SortedDocValuesField(name, new BytesRef(value)), f => f.SetBytesValue(new BytesRef(value)));

    public Field SortedSetDocValues(string name, string value) =>
        Next(FieldKind.SortedSetDocValues, name, () => new SortedSetDocValuesField(name, new BytesRef(value)), f => f.SetBytesValue(new BytesRef(value)));

    /// <summary>A long indexed for range queries, not stored.</summary>
    public Field Int64(string name, long value) =>
        Next(FieldKind.Int64, name, () => new Int64Field(name, value, Field.Store.NO), f => f.SetInt64Value(value));

    /// <summary>A long indexed for range queries and stored.</summary>
    public Field StoredInt64(string name, long value) =>
        Next(FieldKind.StoredInt64, name, () => new Int64Field(name, value, Field.Store.YES), f => f.SetInt64Value(value));

    /// <summary>A long stored only.</summary>
    public Field StoredOnlyInt64(string name, long value) =>
        Next(FieldKind.StoredOnlyInt64, name, () => new StoredField(name, value), f => f.SetInt64Value(value));

    public Field Int64DocValues(string name, long value) =>
        Next(FieldKind.Int64DocValues, name, () => new NumericDocValuesField(name, value), f => f.SetInt64Value(value));

    /// <summary>A double indexed for range queries, not stored.</summary>
    public Field Double(string name, double value) =>
        Next(FieldKind.Double, name, () => new DoubleField(name, value, Field.Store.NO), f => f.SetDoubleValue(value));

    Field Next(FieldKind kind, string name, Func<Field> create, Action<Field> assign)
    {
        if (!_slots.TryGetValue((kind, name), out var slot))
        {
            _slots[(kind, name)] = slot = new Slot();
        }

        if (slot.Used < slot.Fields.Count)
        {
            var field = slot.Fields[slot.Used++];
            assign(field);
            return field;
        }

        var created = create();
        slot.Fields.Add(created);
        slot.Used++;
        return created;
    }

    sealed class Slot
    {
        public List<Field> Fields { get; } = [];

        public int Used { get; set; }
    }
}
