using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace IntuneVpp.MonoSmoke
{
    /// <summary>
    /// Just enough JSON for the result file, by hand: the harness must not lean on System.Text.Json, which is one of
    /// the dependencies under test.
    /// </summary>
    internal sealed class JsonWriter
    {
        private readonly List<string> _members = new();

        public void Add(string name, string? value) => _members.Add(Quote(name) + ":" + Quote(value));

        public void AddNumber(string name, int value) => _members.Add(Quote(name) + ":" + value.ToString(CultureInfo.InvariantCulture));

        public void AddRaw(string name, string json) => _members.Add(Quote(name) + ":" + json);

        public override string ToString() => "{" + string.Join(",", _members) + "}";

        public static string Object(params (string Name, string? Value)[] members) =>
            "{" + string.Join(",", members.Select(m => Quote(m.Name) + ":" + Quote(m.Value))) + "}";

        private static string Quote(string? value)
        {
            if (value is null)
            {
                return "null";
            }

            var text = new StringBuilder("\"");
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"':
                        text.Append("\\\"");
                        break;
                    case '\\':
                        text.Append("\\\\");
                        break;
                    default:
                        if (c < ' ')
                        {
                            text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }

                        break;
                }
            }

            return text.Append('"').ToString();
        }
    }
}
