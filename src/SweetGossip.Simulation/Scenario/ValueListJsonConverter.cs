using System.Text.Json;
using System.Text.Json.Serialization;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Reads and writes <see cref="ValueList{T}"/> as a JSON array. Configs hold lists as ValueList so that
/// two equal configs compare equal (a JSON round trip is checked with Equals).
/// </summary>
internal sealed class ValueListJsonConverter : JsonConverterFactory
{
    /// <summary>Key in <see cref="Exception.Data"/> of the path of an error inside a list element, e.g. "[0].kind".</summary>
    public const string RelativePathKey = "SweetGossip.RelativePath";

    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<ValueList<T>>
    {
        public override ValueList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return new(JsonSerializer.Deserialize<List<T>>(ref reader, options) ?? throw new JsonException("Expected an array, got null."));
            }
            catch (JsonException e) when (e.Path is { } inner && inner.StartsWith('$'))
            {
                // The nested call reports paths from its own root ("$[0].kind"). Rethrow without a path so the
                // outer serializer fills in the list's own path, and carry the inner part for ConfigJson to join.
                var message = e.Message;
                var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
                var outer = new JsonException(cut >= 0 ? message[..cut] : message, e);
                outer.Data[RelativePathKey] = inner[1..];
                throw outer;
            }
        }

        public override void Write(Utf8JsonWriter writer, ValueList<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToList(), options);
    }
}
