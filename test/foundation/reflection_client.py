"""A client that knows nothing of modelops but gRPC server reflection (test/foundation/reflection.test.ts).

It asks the server which services it offers, fetches each service's file descriptors through reflection
into a fresh, strict descriptor pool (the C++ pool checks imports, type references and map entries as
protoc does), builds every service, then builds ScoreRequest from the pool and calls Score with it.

Usage: reflection_client.py HOST:PORT MODEL USER ITEM[,ITEM...] [v1|v1alpha]
(the last argument forces one reflection version; by default v1, else v1alpha where the server lacks v1)
Prints one JSON document: the reflection version used, the services and their methods, the files added
to the pool in order, and Score's answer decoded by the pool's ScoreResponse.

Needs python3-grpcio and python3-protobuf (Debian). Debian ships no reflection client, so the few
reflection messages this needs are declared here by hand, from grpc/reflection/v1/reflection.proto.
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.json_format import MessageToDict

F = descriptor_pb2.FieldDescriptorProto


def _message_class(pool, full_name):
    """The generated class of a message in `pool` (GetMessageClass on protobuf >= 4, GetPrototype before)."""
    desc = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, 'GetMessageClass'):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def _reflection_messages(package):
    """ServerReflectionRequest/Response of `package` (grpc.reflection.v1 or v1alpha), the fields used here."""
    fdp = descriptor_pb2.FileDescriptorProto(name=f'{package.replace(".", "/")}/reflection.proto',
                                             package=package, syntax='proto3')

    def message(name, fields, oneof=None):
        m = fdp.message_type.add(name=name)
        if oneof:
            m.oneof_decl.add(name=oneof)
        for fname, number, ftype, label, type_name, in_oneof in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = f'.{package}.{type_name}'
            if in_oneof:
                f.oneof_index = 0

    opt, rep = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message('ServerReflectionRequest', [
        ('host', 1, F.TYPE_STRING, opt, None, False),
        ('file_by_filename', 3, F.TYPE_STRING, opt, None, True),
        ('file_containing_symbol', 4, F.TYPE_STRING, opt, None, True),
        ('list_services', 7, F.TYPE_STRING, opt, None, True),
    ], oneof='message_request')
    message('FileDescriptorResponse', [('file_descriptor_proto', 1, F.TYPE_BYTES, rep, None, False)])
    message('ServiceResponse', [('name', 1, F.TYPE_STRING, opt, None, False)])
    message('ListServiceResponse', [('service', 1, F.TYPE_MESSAGE, rep, 'ServiceResponse', False)])
    message('ErrorResponse', [('error_code', 1, F.TYPE_INT32, opt, None, False),
                              ('error_message', 2, F.TYPE_STRING, opt, None, False)])
    message('ServerReflectionResponse', [
        ('valid_host', 1, F.TYPE_STRING, opt, None, False),
        ('file_descriptor_response', 4, F.TYPE_MESSAGE, opt, 'FileDescriptorResponse', True),
        ('list_services_response', 6, F.TYPE_MESSAGE, opt, 'ListServiceResponse', True),
        ('error_response', 7, F.TYPE_MESSAGE, opt, 'ErrorResponse', True),
    ], oneof='message_response')
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return (_message_class(pool, f'{package}.ServerReflectionRequest'),
            _message_class(pool, f'{package}.ServerReflectionResponse'))


class Reflection:
    """One reflection stream per request, on whichever of v1 and v1alpha the server offers."""

    def __init__(self, channel, versions=('v1', 'v1alpha')):
        self.channel = channel
        self.version = None
        for package in (f'grpc.reflection.{v}' for v in versions):
            self.request, self.response = _reflection_messages(package)
            self.method = channel.stream_stream(f'/{package}.ServerReflection/ServerReflectionInfo',
                                                request_serializer=self.request.SerializeToString,
                                                response_deserializer=self.response.FromString)
            try:
                self.services = [s.name for s in self.ask(list_services='*').list_services_response.service]
            except grpc.RpcError as err:
                if err.code() == grpc.StatusCode.UNIMPLEMENTED:
                    continue
                raise
            self.version = package
            return
        raise SystemExit(f'the server offers no reflection of {versions}')

    def ask(self, **request):
        res = next(iter(self.method(iter([self.request(**request)]), timeout=10)))
        if res.WhichOneof('message_response') == 'error_response':
            raise SystemExit(f'reflection {request}: {res.error_response.error_code} {res.error_response.error_message}')
        return res

    def files(self, **request):
        """The FileDescriptorProtos of one answer, by file name."""
        out = {}
        for raw in self.ask(**request).file_descriptor_response.file_descriptor_proto:
            fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
            out[fdp.name] = fdp
        return out


def load_into(pool, reflection, fetched, added, name):
    """Adds file `name` to `pool` after its imports, fetching any import the server has not sent yet."""
    if name in added:
        return
    if name not in fetched:
        fetched.update(reflection.files(file_by_filename=name))
    fdp = fetched[name]
    for dep in fdp.dependency:
        load_into(pool, reflection, fetched, added, dep)
    pool.Add(fdp)  # the C++ pool builds the file here and raises TypeError on any inconsistency
    added.append(name)


def main():
    addr, model, user, items = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(',')
    channel = grpc.insecure_channel(addr)
    reflection = Reflection(channel, tuple(sys.argv[5:6]) or ('v1', 'v1alpha'))
    pool = descriptor_pool.DescriptorPool()
    fetched, added, services = {}, [], {}
    for service in reflection.services:
        got = reflection.files(file_containing_symbol=service)
        fetched.update(got)
        for name in got:
            load_into(pool, reflection, fetched, added, name)
        desc = pool.FindServiceByName(service)
        services[service] = [m.name for m in desc.methods]
        # Every message a method takes or returns must build into a class.
        for m in desc.methods:
            _message_class(pool, m.input_type.full_name)
            _message_class(pool, m.output_type.full_name)

    method = pool.FindMethodByName('modelops.v1.ScoringService.Score')
    request_class = _message_class(pool, method.input_type.full_name)
    response_class = _message_class(pool, method.output_type.full_name)
    request = request_class(model=model, user_id=user, item_ids=items)
    score = channel.unary_unary('/modelops.v1.ScoringService/Score', request_serializer=request_class.SerializeToString,
                                response_deserializer=response_class.FromString)
    response = score(request, timeout=30)
    print(json.dumps({
        'reflection': reflection.version,
        'services': services,
        'files': added,
        'score': MessageToDict(response, preserving_proto_field_name=True),
    }))


if __name__ == '__main__':
    main()
