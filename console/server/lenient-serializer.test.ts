/** The serializer without `required`: a missing field is left out, an undeclared one still cut, and request bodies still need their required fields. */
import Fastify from 'fastify';
import { lenientSerializers, withoutRequired } from './lenient-serializer';

test('required is dropped at every depth, but a property named "required" and enum data stay', () => {
  const schema = { type: 'object', required: ['a'], properties: { required: { type: 'boolean' }, a: { type: 'array', items: { type: 'object', required: ['b'], properties: { b: { type: 'string', enum: ['required'] } } } } } };
  expect(withoutRequired(schema)).toEqual({ type: 'object', properties: { required: { type: 'boolean' }, a: { type: 'array', items: { type: 'object', properties: { b: { type: 'string', enum: ['required'] } } } } } });
});

test('an answer lacking a required field is sent without it; the body of a request still needs its own', async () => {
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: lenientSerializers() } } });
  app.addSchema({ $id: 'Thing', type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } });
  const body = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  app.post('/things', { schema: { body, response: { 200: { type: 'object', required: ['thing'], properties: { thing: { $ref: 'Thing#' } } } } } }, async () => ({ thing: { id: 't1', secret: 'x' } }));
  const ok = await app.inject({ method: 'POST', url: '/things', payload: { name: 'n' } });
  expect(ok.statusCode).toBe(200);
  expect(ok.json()).toEqual({ thing: { id: 't1' } });
  expect((await app.inject({ method: 'POST', url: '/things', payload: {} })).statusCode).toBe(400);
  await app.close();
});
