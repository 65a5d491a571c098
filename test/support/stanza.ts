import { xml, type Element } from '@xmpp/client';

/** Parses an XML fixture into the same Element type @xmpp/client hands the protocol layer. */
export function stanza(source: string): Element {
  const doc = new DOMParser().parseFromString(source, 'application/xml');
  const error = doc.querySelector('parsererror');
  if (error) throw new Error(`bad fixture: ${error.textContent}`);
  return convert(doc.documentElement);
}

function convert(node: globalThis.Element): Element {
  const attrs: Record<string, string> = {};
  for (const a of node.attributes) attrs[a.name] = a.value;
  // DOMParser moves inherited namespaces off the attributes; put the element's own back.
  if (node.namespaceURI && !attrs.xmlns && node.parentElement?.namespaceURI !== node.namespaceURI) attrs.xmlns = node.namespaceURI;
  const children: Array<Element | string> = [];
  node.childNodes.forEach((child) => {
    if (child.nodeType === Node.ELEMENT_NODE) children.push(convert(child as globalThis.Element));
    else if (child.nodeType === Node.TEXT_NODE) children.push(child.textContent ?? '');
  });
  return xml(node.tagName, attrs, ...children);
}
