using System;
using System.Collections;
using System.Management.Automation;
using IntuneVpp.Client.Diagnostics;
using IntuneVpp.Client.Graph;
using System.Runtime.CompilerServices;

namespace IntuneVpp.Commands.Binding
{
    /// <summary>
    /// Lets -Id take what a pipeline brings: id strings, the Id or VppTokenId property of any object, and the Id or
    /// VppTokenId key of a dictionary (a hashtable, ConvertFrom-Json -AsHashtable). PowerShell would turn an object
    /// with neither into its text ('@{Name=x}') and the cmdlet would call that a bad id; it becomes a marker instead,
    /// which the cmdlet reports as that item's own error with the object as its target.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class VppTokenIdInputAttribute : ArgumentTransformationAttribute
    {
        private static readonly string[] IdNames = { "Id", "VppTokenId" };

        // Keyed by the marker string's own instance, so a caller's string that happens to read the same is never one.
        private static readonly ConditionalWeakTable<string, object> Missing = new();

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                case string:
                case VppToken: // binds whole to -InputObject, so that its organization shows in -WhatIf
                    return inputData;
                case Guid guid:
                    return guid.ToString();
                case IDictionary dictionary:
                    return FromDictionary(dictionary) ?? MarkMissing(inputData!);
                case IList list:
                    // -Id @(...) on a cmdlet that takes several ids.
                    var items = new object?[list.Count];
                    for (int i = 0; i < items.Length; i++)
                    {
                        items[i] = Transform(engineIntrinsics, list[i]);
                    }

                    return items;
                case ValueType:
                    // A number or the like: its text is reported as not being a GUID, which says it well enough.
                    return inputData;
                default:
                    return FromProperties(PSObject.AsPSObject(inputData)) ?? MarkMissing(inputData!);
            }
        }

        /// <summary>Whether <paramref name="id"/> stands for an input object without an id, and which.</summary>
        public static bool IsMissing(string id, out object input) => Missing.TryGetValue(id, out input!);

        /// <summary>
        /// The token id an item names, in its one spelling; or null, with the item's error: an input object without
        /// an id (targeting that object), or text that is not a token id (targeting <paramref name="target"/>).
        /// </summary>
        public static string? Resolve(string id, object target, out ErrorRecord? error)
        {
            if (IsMissing(id, out object input))
            {
                error = MissingError(input);
                return null;
            }

            string? normalized = VppTokenId.Normalize(id, out string? problem);
            error = normalized is null ? Errors.ErrorRecords.InvalidArgument("InvalidVppTokenId", problem!, target) : null;
            return normalized;
        }

        /// <summary>The error of an item that named no token.</summary>
        public static ErrorRecord MissingError(object input) =>
            Errors.ErrorRecords.InvalidArgument(
                "InputHasNoVppTokenId",
                $"The input object has no Id or VppTokenId property, so it names no VPP token: {ErrorText.Printable(input.ToString() ?? string.Empty)}. " +
                "Pipe tokens, id strings, or objects (CSV rows, hashtables) with an Id or VppTokenId.",
                input);

        private static object? FromDictionary(IDictionary dictionary)
        {
            foreach (string name in IdNames)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return Text(entry.Value);
                    }
                }
            }

            return null;
        }

        private static object? FromProperties(PSObject input)
        {
            foreach (string name in IdNames)
            {
                if (input.Properties[name] is { } property)
                {
                    return Text(property.Value);
                }
            }

            return null;
        }

        // A null or empty id stays as it is, for -Id's own "empty" check.
        private static object Text(object? value) =>
            (value is PSObject wrapped ? wrapped.BaseObject : value)?.ToString() ?? string.Empty;

        private static string MarkMissing(object input)
        {
            string marker = new("(an input object without Id or VppTokenId)".ToCharArray());
            Missing.Add(marker, input);
            return marker;
        }
    }
}
